# Measures sluiced: policy-file write -> enforced (revision visible in /metrics), RSS idle, start -> READY.
# Run inside the router namespace of a prepared topology: ip netns exec <router> python3 bench_daemon.py <dir> <dll>
import os, re, statistics, subprocess, sys, time, urllib.request
d, dll = sys.argv[1], sys.argv[2]
cfg = f"{d}/sluice.yaml"
def revision():
    body = urllib.request.urlopen("http://127.0.0.1:19965/metrics", timeout=10).read().decode()
    return int(float(re.search(r"^sluice_policy_revision (\S+)", body, re.M).group(1)))
def start():
    t0 = time.monotonic()
    p = subprocess.Popen(["dotnet", dll, "--config", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if "sluiced ready" in line:
            ms = (time.monotonic() - t0) * 1000
            import threading
            threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
            return p, ms
    raise SystemExit("daemon exited: " + str(p.wait()))
ready = []
for i in range(5):
    p, ms = start(); ready.append(ms)
    if i < 4:
        p.terminate(); p.wait()
time.sleep(3)
rss_idle = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{p.pid}/status").read()).group(1)) / 1024
policy = open(f"{d}/policies/db.yaml").read()
lat = []
for i in range(40):
    base = revision()
    port = "5433" if i % 2 == 0 else "5432"
    text = re.sub(r'port: "\d+"', f'port: "{port}"', policy)
    t0 = time.monotonic()
    with open(f"{d}/db.tmp", "w") as f: f.write(text)
    os.replace(f"{d}/db.tmp", f"{d}/policies/db.yaml")
    while revision() <= base:
        time.sleep(0.002)
    lat.append((time.monotonic() - t0) * 1000)
    time.sleep(0.3)
lat.sort()
print(f"start->READY (process spawn to ready line, 5 runs; first run creates pins, later ones re-adopt): {', '.join(f'{x:.0f}' for x in ready)} ms")
print(f"RSS idle (2 endpoints, 3 s after ready): {rss_idle:.1f} MB")
print(f"policy write->enforced over {len(lat)} changes: p50 {statistics.median(lat):.0f} ms, p99 {lat[int(len(lat)*0.99)-1]:.0f} ms, max {lat[-1]:.0f} ms")
p.terminate(); p.wait()

# Sends one UDP datagram from each of N fresh sockets (a new 5-tuple = a new tracked flow each).
import socket, sys
dst, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", (dst, 8000 + (i // 20000)))
    s.close()

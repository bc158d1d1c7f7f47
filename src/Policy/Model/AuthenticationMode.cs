namespace Sluice.Policy.Model;

/// <summary><c>authentication.mode</c>.</summary>
public enum AuthenticationMode
{
    /// <summary><c>disabled</c>.</summary>
    Disabled,

    /// <summary><c>required</c>: mutual authentication before traffic is allowed.</summary>
    Required,

    /// <summary><c>test-always-fail</c>.</summary>
    TestAlwaysFail,
}

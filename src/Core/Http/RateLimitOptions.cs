using System.ComponentModel.DataAnnotations;

namespace Onboarding.Core.Http;

/// <summary>Per-instance abuse limits. Each host instance counts on its own; the platform's scale-out multiplies them.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Sustained requests per minute one user may make to the protected routes.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 120;

    /// <summary>Requests one user may make at once before the sustained rate applies (the token bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 60;

    /// <summary>
    /// Failed authentications per minute one client address may cause before its requests are refused with 429 without
    /// being looked at (the Server only; 0 turns the limit off). Behind a reverse proxy every client shares the proxy's
    /// address unless forwarded headers are configured.
    /// </summary>
    [Range(0, 1_000_000)]
    public int FailedAuthenticationsPerMinute { get; set; } = 120;
}

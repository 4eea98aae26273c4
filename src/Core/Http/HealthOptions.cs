namespace Onboarding.Core.Http;

/// <summary>How the anonymous readiness route spares the storage account and the vault.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// How long one readiness answer (ready or unavailable) is reused. Readiness is anonymous, and each probe queries
    /// Table Storage and lists Key Vault, whose throttling is shared with every user's key writes; within this window
    /// probes cost nothing. Zero probes on every request (concurrent requests still share one probe).
    /// </summary>
    public TimeSpan ReadyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

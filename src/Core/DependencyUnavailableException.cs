namespace Onboarding.Core;

/// <summary>
/// A backing service (Table Storage, Key Vault) is throttling or unreachable after the SDK's own retries.
/// Endpoints turn it into 503 ProblemDetails with Retry-After.
/// </summary>
public sealed class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException(string dependency, TimeSpan retryAfter, Exception? innerException = null)
        : base($"{dependency} is unavailable.", innerException)
    {
        Dependency = dependency;
        RetryAfter = retryAfter;
    }

    public DependencyUnavailableException()
        : this("A dependency", TimeSpan.FromSeconds(5))
    {
    }

    public DependencyUnavailableException(string message)
        : this(message, TimeSpan.FromSeconds(5))
    {
    }

    public DependencyUnavailableException(string message, Exception innerException)
        : this(message, TimeSpan.FromSeconds(5), innerException)
    {
    }

    public string Dependency { get; } = "A dependency";

    public TimeSpan RetryAfter { get; }
}

namespace Onboarding.Tests.Infrastructure;

/// <summary>Which host serves the API under test.</summary>
public enum ApiHostKind
{
    /// <summary>src/Server, in this process (Kestrel, the Server's middleware, Core).</summary>
    Server,

    /// <summary>The compiled src/Functions worker as its own process, behind tests/Onboarding.FunctionsHost.</summary>
    Functions,
}

/// <summary>A running API on loopback, whichever host serves it: what an HTTP test needs.</summary>
public interface IApiHost : IAsyncDisposable
{
    ApiHostKind Kind { get; }

    Uri BaseAddress { get; }

    /// <summary>A client with no credentials; <see cref="WithToken"/> adds one.</summary>
    HttpClient Client();

    HttpClient WithToken(string token);
}

/// <summary>The settings every host under test starts with, and starting a host of either kind with them.</summary>
public static partial class ApiHosts
{
    /// <summary>A fixed development key so a second instance can read what the first one encrypted.</summary>
    public const string LocalEncryptionKey = "dGVzdC1vbmx5LWtleS1mb3ItbG9jYWwtc2VjcmV0cyE=";

    /// <summary>
    /// The test settings; a <c>null</c> value in <paramref name="overrides"/> removes that default (for example
    /// <c>Auth:Authority</c>, so a Development server acts as its own issuer).
    /// </summary>
    public static Dictionary<string, string?> Settings(AzuriteFixture azurite, TestIssuer? issuer, IDictionary<string, string?>? overrides)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Auth:Authority"] = issuer?.Authority, // null: none, so a Development server is its own issuer
            ["Auth:Audience"] = TestIssuer.DefaultAudience,
            ["Auth:AuthorizedParties:0"] = TestIssuer.DefaultAuthorizedParty,
            ["Auth:KeyRefreshMinimumInterval"] = "00:00:01",
            ["Secrets:LocalEncryptionKey"] = LocalEncryptionKey,
            ["Logging:LogLevel:Default"] = "Warning",

            // Tests drive one user or one loopback address far harder than a browser would; the limit tests set their own.
            ["RateLimit:PermitsPerMinute"] = "1000000",
            ["RateLimit:Burst"] = "1000000",
            ["RateLimit:FailedAuthenticationsPerMinute"] = "0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return values;
    }
}

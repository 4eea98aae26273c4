using Xunit;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// The API on the shared Azurite with two independent loopback issuers, served by the Server; see
/// <see cref="FunctionsApiFixture"/> for the same on the Functions worker. Each test uses its own fresh users.
/// </summary>
public class ApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Which host this fixture runs.</summary>
    public virtual ApiHostKind Kind => ApiHostKind.Server;

    /// <summary>Settings the fixture's host starts with, beside the test defaults (a profile, for example).</summary>
    protected virtual IDictionary<string, string?>? HostSettings => null;

    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    /// <summary>A second issuer, to prove that the same <c>sub</c> from another issuer is another user.</summary>
    public TestIssuer OtherIssuer { get; private set; } = null!;

    /// <summary>The API under test, on whichever host this fixture runs.</summary>
    public IApiHost Host { get; private set; } = null!;

    /// <summary>The in-process Server, for the tests that look inside it (its DI container); only on the Server.</summary>
    public ApiServer Server => Host as ApiServer
        ?? throw new InvalidOperationException("This test looks inside the in-process Server; the Functions worker is another process.");

    private readonly object _seedGate = new();
    private Task<(HttpClient Client, string Subject)>? _seeded;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        OtherIssuer = await TestIssuer.StartAsync();
        Host = await StartHostAsync(Issuer);
    }

    /// <summary>
    /// One user per fixture (so per test class) put into the <see cref="Seed.StartedUserAsync"/> state once: for the
    /// many cases that only prove a refused request changes nothing. Tests of one class run one after another.
    /// </summary>
    public Task<(HttpClient Client, string Subject)> SeededUserAsync()
    {
        lock (_seedGate)
        {
            return _seeded ??= SeedAsync();
        }

        async Task<(HttpClient, string)> SeedAsync()
        {
            var user = NewUser("seeded");
            await Seed.StartedUserAsync(user.Client);
            return user;
        }
    }

    /// <summary>A new user's subject, unique to the calling test.</summary>
    public static string NewSubject(string name = "user") => $"{name}_{Guid.NewGuid():N}";

    /// <summary>An HTTP client authenticated as a brand-new user of the main issuer.</summary>
    public (HttpClient Client, string Subject) NewUser(string name = "user")
    {
        var subject = NewSubject(name);
        return (Host.WithToken(Issuer.Mint(subject)), subject);
    }

    /// <summary>
    /// Another instance of this fixture's host over the same Azurite (a second instance, another issuer, other
    /// settings), with the fixture's <see cref="HostSettings"/> under <paramref name="settings"/>.
    /// </summary>
    public Task<IApiHost> StartHostAsync(TestIssuer? issuer, IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var merged = new Dictionary<string, string?>(HostSettings ?? new Dictionary<string, string?>());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return ApiHosts.StartAsync(Kind, Azurite, issuer, merged, environment);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        await OtherIssuer.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same API and issuers as <see cref="ApiFixture"/>, served by the compiled Functions worker behind the test host.</summary>
public sealed class FunctionsApiFixture(AzuriteFixture azurite) : ApiFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Functions;
}

using Xunit;

namespace Onboarding.Tests.Infrastructure;

/// <summary>A Server on the shared Azurite with two independent loopback issuers. Each test uses its own fresh users.</summary>
public sealed class ApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    /// <summary>A second issuer, to prove that the same <c>sub</c> from another issuer is another user.</summary>
    public TestIssuer OtherIssuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    private readonly object _seedGate = new();
    private Task<(HttpClient Client, string Subject)>? _seeded;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        OtherIssuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(Azurite, Issuer);
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
        return (Server.WithToken(Issuer.Mint(subject)), subject);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
        await OtherIssuer.DisposeAsync();
    }
}

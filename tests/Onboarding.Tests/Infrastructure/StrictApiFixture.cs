using Xunit;

namespace Onboarding.Tests.Infrastructure;

/// <summary>A Server with the strict profile (<c>Onboarding:Profile = Strict</c>): every step required, in order, at least one key.</summary>
public sealed class StrictApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public static IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Onboarding:Profile"] = "Strict" };

    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(Azurite, Issuer, Settings);
    }

    /// <summary>An HTTP client authenticated as a brand-new user.</summary>
    public (HttpClient Client, string Subject) NewUser(string name = "user")
    {
        var subject = ApiFixture.NewSubject(name);
        return (Server.WithToken(Issuer.Mint(subject)), subject);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

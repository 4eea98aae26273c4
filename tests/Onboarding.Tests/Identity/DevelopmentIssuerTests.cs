using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>
/// In Development without an authority the Server is its own issuer (discovery, JWKS, token minting), and its tokens go
/// through the same validation. Anywhere else, or with an authority configured, those endpoints do not exist.
/// </summary>
public sealed class DevelopmentIssuerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Discovery = "dev-issuer/.well-known/openid-configuration";
    private const string Jwks = "dev-issuer/.well-known/jwks.json";
    private const string Token = "dev/token";

    /// <summary>The test defaults name an authority, an audience and an authorized party; a dev server has none of them.</summary>
    private static readonly Dictionary<string, string?> NoAuthority = new()
    {
        ["Auth:Authority"] = null,
        ["Auth:Audience"] = null,
        ["Auth:AuthorizedParties:0"] = null,
    };

    [Fact]
    public async Task In_Development_without_an_authority_the_server_issues_tokens_that_work_on_the_api()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, NoAuthority, environment: "Development");
        using var anonymous = server.Client();

        var discovery = await (await anonymous.GetAsync(Discovery)).ExpectAsync(HttpStatusCode.OK);
        var jwksUri = discovery["jwks_uri"]!.GetValue<string>();
        var jwks = new JsonWebKeySet(await anonymous.GetStringAsync(jwksUri));
        var minted = await (await anonymous.PostJsonAsync(Token, new { user = "alice", email = "alice@example.com", name = "Alice" })).ExpectAsync(HttpStatusCode.OK);
        var token = minted["access_token"]!.GetValue<string>();
        var me = await (await server.WithToken(token).GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("http://localhost/dev-issuer", discovery["issuer"]!.GetValue<string>());
        Assert.Equal(new Uri(server.BaseAddress, Jwks), new Uri(jwksUri));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = discovery["issuer"]!.GetValue<string>(),
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(validation.IsValid, $"The minted token does not verify against the served JWKS: {validation.Exception?.Message}");
        Assert.Equal("Bearer", minted["token_type"]!.GetValue<string>());
        Assert.Equal("alice", me["subject"]!.GetValue<string>());
        Assert.Equal("alice@example.com", me["email"]!.GetValue<string>());
        Assert.Equal("http://localhost/dev-issuer", me["issuer"]!.GetValue<string>());
        Assert.Equal(CurrentUser.DeriveUserKey("http://localhost/dev-issuer", "alice"), me["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"user\":\"not a user name!\"}", 400, "invalid-user")]
    [InlineData("{\"user\":\"alice\\n\"}", 400, "invalid-user")]
    [InlineData("{\"user\":\"alice\\r\\n\"}", 400, "invalid-user")]
    [InlineData("{\"email\":\"a@example.com\"}", 400, "invalid-json")]
    [InlineData("{\"user\":\"alice\",\"admin\":true}", 400, "invalid-json")]
    public async Task The_development_token_endpoint_refuses_bad_requests(string body, int status, string slug)
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, NoAuthority, environment: "Development");

        var response = await server.Client().PostAsync(Token, Infrastructure.Http.Json(body));

        await response.ExpectProblemAsync((HttpStatusCode)status, slug);
    }

    [Fact]
    public async Task Outside_Development_the_issuer_endpoints_do_not_exist()
    {
        await AssertNoIssuerAsync(api.Server, api.Issuer.Mint(ApiFixture.NewSubject()));
    }

    [Fact]
    public async Task In_Production_the_issuer_endpoints_do_not_exist()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, new Dictionary<string, string?>
        {
            ["Secrets:VaultUri"] = "https://unused-vault.vault.azure.net/",
            ["Secrets:LocalEncryptionKey"] = null,
        }, environment: "Production");

        await AssertNoIssuerAsync(server, api.Issuer.Mint(ApiFixture.NewSubject()));
    }

    [Fact]
    public async Task In_Development_a_configured_authority_replaces_the_development_issuer()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, environment: "Development");
        var subject = ApiFixture.NewSubject();

        await AssertNoIssuerAsync(server, api.Issuer.Mint(subject));
        var me = await (await server.WithToken(api.Issuer.Mint(subject)).GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(api.Issuer.Authority, me["issuer"]!.GetValue<string>());
    }

    private static async Task AssertNoIssuerAsync(ApiServer server, string validToken)
    {
        using var anonymous = server.Client();
        using var authenticated = server.WithToken(validToken);
        foreach (var (method, path) in new[] { ("GET", Discovery), ("GET", Jwks), ("POST", Token) })
        {
            using var withoutToken = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Infrastructure.Http.Json("{\"user\":\"alice\"}") : null };
            using var withToken = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Infrastructure.Http.Json("{\"user\":\"alice\"}") : null };

            await (await anonymous.SendAsync(withoutToken)).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            await (await authenticated.SendAsync(withToken)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }
}

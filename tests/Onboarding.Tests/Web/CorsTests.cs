using System.Net;
using Microsoft.Extensions.Configuration;
using Onboarding.Server;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Web;

/// <summary>A Server that allows one browser origin, next to the default one that allows none.</summary>
public sealed class CorsServerFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example";

    public TestIssuer Issuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(azurite, Issuer, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = AllowedOrigin + "/" });
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class CorsTests(CorsServerFixture cors, ApiFixture api) : IClassFixture<CorsServerFixture>, IClassFixture<ApiFixture>
{
    private const string OtherOrigin = "https://evil.example";

    [Fact]
    public async Task A_preflight_from_a_configured_origin_is_answered_without_a_token()
    {
        using var response = await PreflightAsync(cors.Server, CorsServerFixture.AllowedOrigin, "PUT", "authorization,content-type,if-match");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CorsServerFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("PUT", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        var allowed = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("if-match", allowed, StringComparison.Ordinal);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_preflight_from_an_unconfigured_origin_gets_no_cors_headers()
    {
        using var response = await PreflightAsync(cors.Server, OtherOrigin, "GET", "authorization");

        AssertNoCorsHeaders(response);
    }

    [Fact]
    public async Task Without_configured_origins_no_origin_is_answered()
    {
        using var preflight = await PreflightAsync(api.Server, CorsServerFixture.AllowedOrigin, "GET", "authorization");
        AssertNoCorsHeaders(preflight);

        var (client, _) = api.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/status");
        request.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoCorsHeaders(response);
    }

    [Fact]
    public async Task A_configured_origin_can_read_answers_and_their_etag_and_problems()
    {
        using var client = cors.Server.WithToken(cors.Issuer.Mint(ApiFixture.NewSubject()));
        using var save = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Http.Json(new { website = "https://example.com" }) };
        save.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
        using var saved = await client.SendAsync(save, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(CorsServerFixture.AllowedOrigin, Header(saved, "Access-Control-Allow-Origin"));
        Assert.Contains("ETag", Header(saved, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries));

        // A 401 must be readable too, or the browser app cannot tell "sign in again" from a network error.
        using var anonymous = cors.Server.Client();
        using var unauthenticated = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init");
        unauthenticated.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
        using var denied = await anonymous.SendAsync(unauthenticated, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(CorsServerFixture.AllowedOrigin, Header(denied, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_request_from_an_unconfigured_origin_gets_no_cors_headers_even_with_a_valid_token()
    {
        using var client = cors.Server.WithToken(cors.Issuer.Mint(ApiFixture.NewSubject()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/status");
        request.Headers.Add("Origin", OtherOrigin);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoCorsHeaders(response);
    }

    [Theory]
    [InlineData("https://app.example/", "https://app.example")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("HTTPS://App.Example:443", "https://app.example")]
    public void Configured_origins_are_normalised(string configured, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = configured }).Build();
        Assert.Equal([expected], CorsSetup.AllowedOrigins(configuration));
    }

    [Fact]
    public void A_comma_separated_setting_lists_several_origins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins"] = "https://a.example, https://b.example",
        }).Build();
        Assert.Equal(["https://a.example", "https://b.example"], CorsSetup.AllowedOrigins(configuration));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example/path")]
    [InlineData("app.example")]
    [InlineData("ftp://app.example")]
    public async Task A_setting_that_is_not_an_origin_stops_the_server_from_starting(string configured)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ApiServer.StartAsync(api.Azurite, api.Issuer, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = configured }));
        Assert.Contains("Cors:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(ApiServer server, string origin, string method, string headers)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/onboarding/step/2");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static void AssertNoCorsHeaders(HttpResponseMessage response)
    {
        var cors = response.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).Select(h => h.Key).ToArray();
        Assert.True(cors.Length == 0, $"Unexpected CORS headers: {string.Join(", ", cors)}");
    }
}

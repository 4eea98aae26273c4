using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// Every Server response, successful or not, carries the browser hardening headers; API responses are never cached and
/// may load nothing; HSTS is sent on https outside Development only.
/// </summary>
public abstract class SecurityHeadersTests(ApiFixture api)
{
    public static TheoryData<string, string, bool> Responses => new()
    {
        { "an API success", "api/onboarding/init", true },
        { "a 401 without a token", "api/onboarding/init", false },
        { "a 404 of the API", "api/onboarding/step/9", true },
        { "an anonymous health check", "api/health", false },
    };

    [Fact]
    public async Task A_route_that_does_not_exist_carries_the_hardening_headers_on_the_Server_only()
    {
        var (client, _) = api.NewUser();
        using var response = await client.GetAsync("api/no-such-route");

        if (api.Kind == ApiHostKind.Functions)
        {
            // By design: no function matches, so the Functions host answers its bare 404 without asking the worker,
            // and only the worker's pipeline adds these headers (in Azure, front ends may add their own).
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(Header(response, "X-Content-Type-Options"));
            return;
        }

        AssertCommonHeaders(response, "a route that does not exist");
        Assert.Equal(SecurityHeadersMiddlewareApiPolicy, Header(response, "Content-Security-Policy"));
    }

    private const string SecurityHeadersMiddlewareApiPolicy = Core.Http.SecurityHeaders.ApiContentSecurityPolicy;

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Api_responses_carry_the_hardening_headers(string what, string path, bool authenticated)
    {
        using var client = authenticated ? api.NewUser().Client : api.Host.Client();
        using var response = await client.GetAsync(path);

        AssertCommonHeaders(response, what);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", Header(response, "Content-Security-Policy"));
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control was '{response.Headers.CacheControl}'.");
    }

    [Fact]
    public async Task Error_responses_outside_the_api_carry_the_common_headers_without_the_api_policy()
    {
        using var client = api.Host.Client();
        using var response = await client.GetAsync("index.html");
        if (api.Kind == ApiHostKind.Functions)
        {
            // Outside the route prefix nothing reaches the Functions worker: the host's bare 404 (see above).
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(Header(response, "X-Content-Type-Options"));
            return;
        }

        AssertCommonHeaders(response, "a page outside /api");
        Assert.Null(Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Oversized_bodies_and_rejections_carry_the_headers_too()
    {
        var (client, _) = api.NewUser();
        using var content = Infrastructure.Http.Json("{\"note\":\"" + new string('x', Core.Http.JsonBody.MaxBytes) + "\"}");
        using var response = await client.PutAsync("api/onboarding/step/2", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertCommonHeaders(response, "a 413");
        Assert.True(response.Headers.CacheControl?.NoStore == true);
    }

    [Fact]
    public async Task Hsts_is_not_sent_on_plain_http()
    {
        using var response = await SendAsync(api.Host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    internal static async Task<HttpResponseMessage> SendAsync(IApiHost server)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");

        // HSTS is never sent to localhost names, so the request names a public host (any host is allowed here).
        request.Headers.Host = "onboarding.example";
        return await client.SendAsync(request);
    }

    private static void AssertCommonHeaders(HttpResponseMessage response, string what)
    {
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options");
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{what}: Referrer-Policy");
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options");
        Assert.Matches("^[0-9a-f]{32}$", Header(response, "X-Correlation-Id") ?? string.Empty);
    }

    internal static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}

public sealed class SecurityHeadersTestsOnServer(ApiFixture api) : SecurityHeadersTests(api), IClassFixture<ApiFixture>;

public sealed class SecurityHeadersTestsOnFunctions(FunctionsApiFixture api) : SecurityHeadersTests(api), IClassFixture<FunctionsApiFixture>;

/// <summary>
/// HSTS on https, a Server-only concern: in Azure, TLS ends in front of the Functions host, which answers plain http
/// requests per the app's "HTTPS only" setting; the worker never sees https.
/// </summary>
public sealed class ServerHstsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Hsts_is_sent_on_https_outside_Development()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, configure: AsIfBehindTls);
        using var response = await SecurityHeadersTests.SendAsync(server);

        Assert.Equal("max-age=31536000", SecurityHeadersTests.Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_is_not_sent_in_Development()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, configure: AsIfBehindTls, environment: "Development");
        using var response = await SecurityHeadersTests.SendAsync(server);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(SecurityHeadersTests.Header(response, "Strict-Transport-Security"));
    }

    /// <summary>Makes the Server see every request as https, as it does behind a TLS-terminating front end.</summary>
    private static void AsIfBehindTls(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter, HttpsSchemeStartupFilter>();

    private sealed class HttpsSchemeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                context.Request.Scheme = "https";
                return following(context);
            });
            next(app);
        };
    }
}

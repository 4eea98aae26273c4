using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Web;

/// <summary>What the Development-only extras (demo page, API reference) serve, and that they open nothing else.</summary>
public sealed partial class DemoFrontendTests(DevelopmentServerFixture development, ApiFixture api) : IClassFixture<DevelopmentServerFixture>, IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/styles.css", "text/css")]
    public async Task In_Development_the_demo_is_served_without_a_token(string path, string mediaType)
    {
        using var anonymous = development.Server.Client();
        using var response = await anonymous.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_page_references_no_other_origin()
    {
        using var anonymous = development.Server.Client();
        foreach (var file in new[] { "index.html", "app.js", "api.js", "dom.js", "steps.js", "styles.css" })
        {
            var text = await anonymous.GetStringAsync(file, TestContext.Current.CancellationToken);

            // The only absolute URL is the placeholder of the website field.
            var urls = AbsoluteUrl().Matches(text).Select(m => m.Value).Where(u => u != "https://example.com").ToArray();
            Assert.True(urls.Length == 0, $"{file} references {string.Join(", ", urls)}");
        }
    }

    [Fact]
    public async Task Static_files_do_not_open_the_api_to_anonymous_callers()
    {
        using var anonymous = development.Server.Client();
        await (await anonymous.GetAsync("api/onboarding/init", TestContext.Current.CancellationToken)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("api/onboarding/index.html", TestContext.Current.CancellationToken)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("no-such-file.js", TestContext.Current.CancellationToken)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/app.js")]
    [InlineData("/docs")]
    [InlineData("/docs/")]
    [InlineData("/dev/token")]
    public async Task Outside_Development_the_demo_docs_and_dev_issuer_do_not_exist(string path)
    {
        using var anonymous = api.Server.Client();
        using var response = await anonymous.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task In_Development_the_api_reference_is_served_at_docs_from_this_server_only()
    {
        using var anonymous = development.Server.Client();
        var page = await anonymous.GetStringAsync("docs/", TestContext.Current.CancellationToken);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"withDefaultFonts\":false", page, StringComparison.Ordinal);

        using var script = await anonymous.GetAsync("docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task The_development_document_is_the_same_contract_as_everywhere_else()
    {
        using var developmentClient = development.Server.Client();
        using var testingClient = api.Server.Client();
        var inDevelopment = JsonNode.Parse(await developmentClient.GetStringAsync("openapi/v1.json", TestContext.Current.CancellationToken));
        var elsewhere = JsonNode.Parse(await testingClient.GetStringAsync("openapi/v1.json", TestContext.Current.CancellationToken));

        Assert.True(JsonNode.DeepEquals(inDevelopment, elsewhere), "The Development server documents other routes (the dev issuer or the UI leak into the contract).");
    }

    [Fact]
    public async Task A_development_token_from_the_demo_sign_in_opens_the_api()
    {
        using var anonymous = development.Server.Client();
        var token = await (await anonymous.PostJsonAsync("dev/token", new { user = "demo_" + Guid.NewGuid().ToString("N")[..8] })).ExpectAsync(HttpStatusCode.OK);
        using var client = development.Server.WithToken(token["access_token"]!.GetValue<string>());

        var init = await (await client.GetAsync("api/onboarding/init", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, init["onboarding"]!["current_step"]!.GetValue<int>());
    }

    [GeneratedRegex(@"(?:[a-z]+:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")]
    private static partial Regex AbsoluteUrl();
}

using System.Net;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Server.OpenApi;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Web;

/// <summary>The anonymous OpenAPI route serves a document generated once: requests cannot make the host generate it again.</summary>
public sealed class OpenApiDocumentCacheTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Many_requests_concurrent_and_sequential_generate_the_document_exactly_once()
    {
        var generations = 0;
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, configure: builder =>
            builder.Services.Configure<OpenApiOptions>(OpenApiSetup.DocumentName, options => options.AddDocumentTransformer((_, _, _) =>
            {
                Interlocked.Increment(ref generations);
                return Task.CompletedTask;
            })));
        using var anonymous = server.Client();
        var ct = TestContext.Current.CancellationToken;

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => anonymous.GetAsync(OpenApiSetup.DocumentPath.TrimStart('/'), ct)));
        var bodies = new List<string>();
        foreach (var response in concurrent)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            bodies.Add(await response.Content.ReadAsStringAsync(ct));
            response.Dispose();
        }

        for (var i = 0; i < 10; i++)
        {
            using var response = await anonymous.GetAsync(OpenApiSetup.DocumentPath.TrimStart('/'), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync(ct));
        }

        Assert.Equal(1, Volatile.Read(ref generations));
        Assert.Single(bodies.Distinct(StringComparer.Ordinal));
        Assert.Contains("\"openapi\"", bodies[0], StringComparison.Ordinal);
    }
}

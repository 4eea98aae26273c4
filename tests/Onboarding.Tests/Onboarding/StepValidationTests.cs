using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

/// <summary>What completing each step needs; drafts are checked only for the fields they contain.</summary>
public abstract class StepValidationTests(ApiFixture api)
{
    [Theory]
    [InlineData("{\"website\":\"https://example.com\"}")]
    [InlineData("{\"website_url\":\"http://example.com/shop?x=1\"}")]
    [InlineData("{\"website_url\":null,\"website\":\"https://example.com\"}")]
    [InlineData("{\"website\":null,\"website_url\":\"https://example.com\"}")]
    public async Task Step_2_completes_with_an_absolute_http_url_in_website_or_website_url(string data)
    {
        var client = await AtStepAsync(2);

        await (await client.PostAsync("api/onboarding/step/2/complete", Infrastructure.Http.Json("{\"data\":" + data + "}"))).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"website_url\":null}")]
    [InlineData("{\"website\":\"   \"}")]
    public async Task Step_2_without_a_url_is_400_naming_website_url(string data)
    {
        var client = await AtStepAsync(2);

        var problem = await (await client.PostAsync("api/onboarding/step/2/complete", Infrastructure.Http.Json("{\"data\":" + data + "}"))).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");

        Assert.Single(problem.ErrorFields(), f => f is "website_url" or "website");
    }

    [Theory]
    [InlineData("competitors", "[\"https://rival.example\"]")]
    [InlineData("researchSummary", "\"notes\"")]
    [InlineData("sitemapAnalysis", "{\"pages\":3}")]
    [InlineData("research_preferences", "{\"depth\":\"deep\"}")]
    [InlineData("researchPreferences", "{\"depth\":\"deep\"}")]
    public async Task Step_3_completes_with_any_one_research_field(string field, string value)
    {
        var client = await AtStepAsync(3);

        await (await client.PostAsync("api/onboarding/step/3/complete", Infrastructure.Http.Json($"{{\"data\":{{\"{field}\":{value}}}}}"))).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"competitors\":[],\"researchSummary\":\" \",\"sitemapAnalysis\":{}}")]
    public async Task Step_3_without_research_content_is_400(string data)
    {
        var client = await AtStepAsync(3);

        var problem = await (await client.PostAsync("api/onboarding/step/3/complete", Infrastructure.Http.Json("{\"data\":" + data + "}"))).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");

        Assert.Equal(["research_preferences"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("{}", "corePersona.identity,platformPersonas")]
    [InlineData("{\"corePersona\":{\"identity\":\"Expert\"}}", "platformPersonas")]
    [InlineData("{\"corePersona\":{\"identity\":\"\"},\"platformPersonas\":{\"x\":{}}}", "corePersona.identity")]
    [InlineData("{\"corePersona\":\"Expert\",\"platformPersonas\":[\"linkedin\"]}", "corePersona.identity")]
    public async Task Step_4_needs_a_core_identity_and_a_platform_persona(string data, string fields)
    {
        var client = await AtStepAsync(4);

        var problem = await (await client.PostAsync("api/onboarding/step/4/complete", Infrastructure.Http.Json("{\"data\":" + data + "}"))).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");

        Assert.Equal(fields.Split(','), problem.ErrorFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_draft_is_checked_only_for_the_fields_it_has()
    {
        var (client, _) = api.NewUser();

        await (await client.PutJsonAsync("api/onboarding/step/2", new { notes = "no url yet" })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/4", new { corePersona = new { } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "not a url" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Completing_without_a_body_completes_with_the_saved_draft()
    {
        var client = await AtStepAsync(2);
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://draft.example" })).ExpectAsync(HttpStatusCode.OK);

        var done = await (await client.PostAsync("api/onboarding/step/2/complete", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("https://draft.example", done["data"]!["website"]!.GetValue<string>());
    }

    /// <summary>A new user with every step before <paramref name="step"/> completed.</summary>
    private async Task<HttpClient> AtStepAsync(int step)
    {
        var (client, _) = api.NewUser();
        for (var done = 1; done < step; done++)
        {
            await (await client.PostJsonAsync($"api/onboarding/step/{done}/complete", StepData.For(done))).ExpectAsync(HttpStatusCode.OK);
        }

        return client;
    }
}

public sealed class StepValidationTestsOnServer(ApiFixture api) : StepValidationTests(api), IClassFixture<ApiFixture>;

public sealed class StepValidationTestsOnFunctions(FunctionsApiFixture api) : StepValidationTests(api), IClassFixture<FunctionsApiFixture>;

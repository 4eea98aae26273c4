using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

/// <summary>Drafts carry an ETag; a client's If-Match is honoured, and a stale one is a 412 that changes nothing.</summary>
public abstract class StepDraftTests(ApiFixture api)
{
    [Fact]
    public async Task A_draft_with_the_current_ETag_is_saved_and_gets_a_new_ETag()
    {
        var (client, _) = api.NewUser();
        var first = await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" });
        await first.ExpectAsync(HttpStatusCode.OK);
        var read = await client.GetAsync("api/onboarding/step/2");
        await read.ExpectAsync(HttpStatusCode.OK);

        var second = await PutAsync(client, 2, "{\"website\":\"https://two.example\"}", read.Headers.ETag!.Tag == first.Headers.ETag!.Tag ? read.Headers.ETag.ToString() : "mismatch");
        var saved = await second.ExpectAsync(HttpStatusCode.OK);
        var after = await client.GetAsync("api/onboarding/step/2");
        var step = await after.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("https://two.example", saved["data"]!["website"]!.GetValue<string>());
        Assert.NotNull(second.Headers.ETag);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(second.Headers.ETag, after.Headers.ETag);
        Assert.Equal("https://two.example", step["data"]!["website"]!.GetValue<string>());
        Assert.Equal("pending", step["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_draft_with_a_stale_ETag_is_412_and_changes_nothing()
    {
        var (client, subject) = api.NewUser();
        var stale = (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" })).Headers.ETag!.ToString();
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://two.example" })).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var response = await PutAsync(client, 2, "{\"website\":\"https://lost.example\"}", stale);

        await response.ExpectProblemAsync(HttpStatusCode.PreconditionFailed, "stale-etag");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task Completing_a_step_changes_its_ETag_so_an_older_draft_is_stale()
    {
        var (client, _) = api.NewUser();
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        var draft = await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://draft.example" });
        var completed = await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2);
        await completed.ExpectAsync(HttpStatusCode.OK);

        await (await PutAsync(client, 2, "{\"website\":\"https://lost.example\"}", draft.Headers.ETag!.ToString())).ExpectProblemAsync(HttpStatusCode.PreconditionFailed, "stale-etag");
        await (await PutAsync(client, 2, "{\"website\":\"https://kept.example\"}", completed.Headers.ETag!.ToString())).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_ETag_for_a_step_that_has_no_data_is_412()
    {
        var (client, subject) = api.NewUser();
        var other = (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" })).Headers.ETag!.ToString();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        await (await PutAsync(client, 3, "{\"researchSummary\":\"x\"}", other)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed, "stale-etag");
        await (await PutAsync(client, 3, "{\"researchSummary\":\"x\"}", "*")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed, "stale-etag");

        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task If_Match_star_saves_over_any_existing_draft()
    {
        var (client, _) = api.NewUser();
        await (await client.PutJsonAsync("api/onboarding/step/3", new { researchSummary = "one" })).ExpectAsync(HttpStatusCode.OK);

        var response = await PutAsync(client, 3, "{\"researchSummary\":\"two\"}", "*");

        var saved = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("two", saved["data"]!["researchSummary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_If_Match_values_are_400()
    {
        var (client, subject) = api.NewUser();
        var etag = (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" })).Headers.ETag!.ToString();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        using var request = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Infrastructure.Http.Json("{\"website\":\"https://two.example\"}") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        request.Headers.TryAddWithoutValidation("If-Match", "\"other\"");
        var response = await client.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-if-match");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Theory]
    [InlineData("not-an-entity-tag")]
    [InlineData("\"unterminated")]
    [InlineData("W/")]
    public async Task An_If_Match_that_is_not_an_entity_tag_is_400(string ifMatch)
    {
        var (client, subject) = api.NewUser();
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" })).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        using var request = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Infrastructure.Http.Json("{\"website\":\"https://two.example\"}") };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await client.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-if-match");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Theory]
    [InlineData("\"made-up\"")]
    [InlineData("W/\"made-up\"")]
    [InlineData("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"")]
    public async Task A_well_formed_but_unknown_ETag_is_412(string ifMatch)
    {
        var (client, subject) = api.NewUser();
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" })).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var response = await PutAsync(client, 2, "{\"website\":\"https://two.example\"}", ifMatch);

        await response.ExpectProblemAsync(HttpStatusCode.PreconditionFailed, "stale-etag");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task Any_JSON_object_is_stored_and_returned_as_the_client_sent_it()
    {
        var (client, _) = api.NewUser();
        const string json = """
            {"researchSummary":"x","big":1e400,"precise":0.1000000000000000055511151231257827,"neg":-0,"empty":"","nil":null,
             "nested":{"a":[1,[2,[3,{"b":true}]]],"corePersona":{"identity":"camelCase stays"}},"dotted.key":1,"__proto__":{"x":1},
             "unicode":"é😀\u0000\u001f<script>&","list":[]}
            """;

        await (await client.PutAsync("api/onboarding/step/3", Infrastructure.Http.Json(json))).ExpectAsync(HttpStatusCode.OK);
        var step = await (await client.GetAsync("api/onboarding/step/3")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), step["data"]), $"Stored data differs: {step["data"]!.ToJsonString()}");
        Assert.Equal("1e400", step["data"]!["big"]!.ToJsonString());
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, int step, string json, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/onboarding/step/{step}") { Content = Infrastructure.Http.Json(json) };
        request.Headers.IfMatch.Add(ifMatch == "*" ? EntityTagHeaderValue.Any : EntityTagHeaderValue.Parse(ifMatch));
        return client.SendAsync(request);
    }
}

public sealed class StepDraftTestsOnServer(ApiFixture api) : StepDraftTests(api), IClassFixture<ApiFixture>;

public sealed class StepDraftTestsOnFunctions(FunctionsApiFixture api) : StepDraftTests(api), IClassFixture<FunctionsApiFixture>;

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Storage;

/// <summary>A Table string property holds 64 KiB; larger step data is split over several properties and joined on read.</summary>
public abstract class LargeStepDataTests(ApiFixture api)
{
    [Fact]
    public async Task Step_data_of_200_KiB_is_split_over_several_properties_and_reads_back_identical()
    {
        var (client, subject) = api.NewUser();
        var data = new JsonObject
        {
            ["researchSummary"] = "notes",
            ["pages"] = new JsonArray(Enumerable.Range(0, 2000).Select(i => (JsonNode)new JsonObject
            {
                ["url"] = $"https://example.com/page/{i}",
                ["title"] = $"Page {i} " + new string('t', 40),
                ["words"] = i * 7,
            }).ToArray()),
        };
        var json = data.ToJsonString();
        Assert.True(json.Length > 200 * 1024, "The test data must exceed 200 KiB.");

        var saved = await client.PutAsync("api/onboarding/step/3", Infrastructure.Http.Json(json));
        await saved.ExpectAsync(HttpStatusCode.OK);

        var row = await StepRowAsync(subject, 3);
        var parts = row.GetInt32("DataParts")!.Value;
        Assert.True(parts >= 7, $"Expected the data split over at least 7 properties, got {parts}.");
        for (var i = 0; i < parts; i++)
        {
            Assert.InRange(row.GetString($"Data{i}").Length, 1, 32_767);
        }

        var read = await client.GetAsync("api/onboarding/step/3");
        var step = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(data, step["data"]), "The step data read back differs from what was saved.");
        Assert.Equal(saved.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task Non_ASCII_step_data_near_the_limit_survives_splitting_inside_escapes_and_surrogate_pairs()
    {
        var (client, subject) = api.NewUser();

        // Non-ASCII text is stored escaped (an emoji, a surrogate pair, as two \uXXXX), so property boundaries fall
        // inside escapes and between the halves of pairs.
        var text = new StringBuilder();
        for (var i = 0; i < 48_000; i++)
        {
            text.Append(i % 3 == 0 ? "😀" : i % 3 == 1 ? "你" : "é");
        }

        var data = new JsonObject { ["researchSummary"] = text.ToString(), ["tail"] = "end" };
        await (await client.PutAsync("api/onboarding/step/3", Infrastructure.Http.Json(data.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);

        var row = await StepRowAsync(subject, 3);
        var stored = Enumerable.Range(0, row.GetInt32("DataParts")!.Value).Sum(i => row.GetString($"Data{i}").Length);
        Assert.InRange(stored, 350_000, 400_000);
        var step = await (await client.GetAsync("api/onboarding/step/3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(text.ToString(), step["data"]!["researchSummary"]!.GetValue<string>());
        Assert.Equal("end", step["data"]!["tail"]!.GetValue<string>());
    }

    private async Task<Azure.Data.Tables.TableEntity> StepRowAsync(string subject, int step)
    {
        var rows = await PartitionDump.RowsAsync(api.Azurite, CurrentUser.DeriveUserKey(api.Issuer.Authority, subject));
        return Assert.Single(rows, r => r.RowKey == $"step-{step}");
    }
}

public sealed class LargeStepDataTestsOnServer(ApiFixture api) : LargeStepDataTests(api), IClassFixture<ApiFixture>;

public sealed class LargeStepDataTestsOnFunctions(FunctionsApiFixture api) : LargeStepDataTests(api), IClassFixture<FunctionsApiFixture>;

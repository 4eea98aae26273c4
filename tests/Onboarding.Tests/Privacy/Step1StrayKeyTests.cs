using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Privacy;

/// <summary>
/// A raw key pasted into a step-1 field other than <c>api_keys</c>, or swapped with its provider's name, is neither
/// stored (so never exported) nor echoed in an error's field names or messages.
/// </summary>
public sealed class Step1StrayKeyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_key_pasted_into_another_step_1_field_is_left_out_of_the_stored_data_and_the_export()
    {
        var (client, _) = api.NewUser();
        var listed = "sk-stray" + Guid.NewGuid().ToString("N");
        var pasted = "sk-ant-stray" + Guid.NewGuid().ToString("N");
        var nested = "tvly-stray" + Guid.NewGuid().ToString("N");
        var data = new JsonObject
        {
            ["api_keys"] = new JsonObject { ["openai"] = listed },
            ["note"] = pasted,
            ["extra"] = new JsonObject { ["keys"] = new JsonArray(nested, "kept"), [nested] = "a key as a field name" },
            ["plan"] = "pro",
        };

        var completed = await (await client.PostAsync("api/onboarding/step/1/complete", Infrastructure.Http.Json(new JsonObject { ["data"] = data }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);

        Assert.NotEmpty(completed["warnings"]!.AsArray());
        var step = await (await client.GetAsync("api/onboarding/step/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pro", step["data"]!["plan"]!.GetValue<string>());
        Assert.Equal(["kept"], step["data"]!["extra"]!["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        var export = await (await client.GetAsync("api/me/export")).Content.ReadAsStringAsync();
        foreach (var text in new[] { completed.ToJsonString(), step.ToJsonString(), export })
        {
            Assert.DoesNotContain(listed[..^4], text, StringComparison.Ordinal);
            Assert.DoesNotContain(pasted[..^4], text, StringComparison.Ordinal);
            Assert.DoesNotContain(nested[..^4], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_swapped_with_its_provider_name_is_refused_without_being_named_in_the_error()
    {
        var (client, subject) = api.NewUser();
        var swapped = "sk-swap" + Guid.NewGuid().ToString("N");
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var response = await client.PutAsync("api/onboarding/step/1", Infrastructure.Http.Json(new JsonObject { ["api_keys"] = new JsonObject { [swapped] = "openai" } }.ToJsonString()));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["api_keys"], problem.ErrorFields());
        Assert.DoesNotContain(swapped[..^4], problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }
}

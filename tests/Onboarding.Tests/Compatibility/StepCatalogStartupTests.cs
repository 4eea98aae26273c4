using Microsoft.Extensions.Options;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>A misconfigured step catalogue stops the Server at start-up with a message naming the setting.</summary>
public sealed class StepCatalogStartupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("Onboarding:Steps:1:Number", "2", "Onboarding:Steps:1:Number 2 is already used by Onboarding:Steps:0")]
    [InlineData("Onboarding:Steps:1:Schema", "{\"type\": 5}", "Onboarding:Steps:1:Schema is not a valid JSON Schema")]
    [InlineData("Onboarding:Steps:1:Schema", "{not json", "Onboarding:Steps:1:Schema is not valid JSON")]
    [InlineData("Onboarding:FinishStep", "4", "Onboarding:Steps (step 5):Required is true but step 5 comes after the finish step")]
    [InlineData("Onboarding:Steps:1:Number", "7", "Onboarding:Steps:1:Number is 7")]
    public async Task The_server_refuses_to_start(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Onboarding:Profile"] = key == "Onboarding:FinishStep" ? "Strict" : null,
            ["Onboarding:Steps:0:Number"] = "2",
            ["Onboarding:Steps:0:Title"] = "Your website",
            ["Onboarding:Steps:1:Number"] = "3",
            [key] = value,
        };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () => await ApiServer.StartAsync(azurite, null, settings));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_step_is_served_by_the_config_route_and_its_schema_is_applied()
    {
        var issuer = await TestIssuer.StartAsync();
        await using var _ = issuer;
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["Onboarding:Steps:0:Number"] = "5",
            ["Onboarding:Steps:0:Required"] = "true",
            ["Onboarding:Steps:0:Title"] = "Publishing",
            ["Onboarding:Steps:0:Schema"] = "{\"type\":\"object\",\"required\":[\"integrations\"],\"properties\":{\"integrations\":{\"type\":\"object\"}}}",
        });
        using var client = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        var config = await (await client.GetAsync("api/onboarding/config")).ExpectAsync(System.Net.HttpStatusCode.OK);
        var step5 = config["steps"]![4]!;
        var refused = await (await client.PostAsync("api/onboarding/step/5/complete", Infrastructure.Http.Json("{\"data\":{}}"))).ExpectProblemAsync(System.Net.HttpStatusCode.BadRequest, "validation");
        var skip = await (await client.PostAsync("api/onboarding/step/5/skip", null)).ExpectProblemAsync(System.Net.HttpStatusCode.BadRequest, "step-not-optional");

        Assert.Equal("Publishing", step5["title"]!.GetValue<string>());
        Assert.True(step5["required"]!.GetValue<bool>());
        Assert.False(step5["skippable"]!.GetValue<bool>());
        Assert.Equal(["integrations"], step5["schema"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["integrations"], refused.ErrorFields());
        Assert.NotNull(skip);
        Assert.False(config["enforce_order"]!.GetValue<bool>());
    }
}

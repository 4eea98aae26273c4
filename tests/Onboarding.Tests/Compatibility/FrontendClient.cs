using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>
/// The calls the ALwrity frontend's API client makes (its <c>api/onboarding.ts</c>), with the bodies it builds, over
/// plain HTTP. Every call must succeed: a 4xx is what stops the wizard. The host is only the client given here.
/// </summary>
public sealed class FrontendClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    /// <summary>Every route called, in order, for the assertions on the call sequence.</summary>
    public List<string> Calls { get; } = [];

    public Task<JsonNode> InitAsync() => GetAsync("api/onboarding/init");

    /// <summary><c>getCurrentStep()</c>: <c>current_step || 1</c>.</summary>
    public async Task<int> GetCurrentStepAsync()
        => (await GetAsync("api/onboarding/status"))["current_step"]?.GetValue<int>() is { } step and > 0 ? step : 1;

    /// <summary><c>setCurrentStep(step, data)</c>: <c>{ data: stepData || {}, validation_errors: [] }</c>.</summary>
    public Task<JsonNode> SetCurrentStepAsync(int step, JsonObject? data)
        => PostAsync($"api/onboarding/step/{step}/complete", new JsonObject { ["data"] = data ?? [], ["validation_errors"] = new JsonArray() });

    /// <summary>The older API-key step posts its own completion: <c>{ data: stepData }</c> only.</summary>
    public Task<JsonNode> CompleteStepWithDataOnlyAsync(int step, JsonObject data)
        => PostAsync($"api/onboarding/step/{step}/complete", new JsonObject { ["data"] = data });

    public Task<JsonNode> SaveApiKeyAsync(string provider, string key)
        => PostAsync("api/onboarding/api-keys", new JsonObject { ["provider"] = provider, ["api_key"] = key, ["description"] = null });

    /// <summary><c>getApiKeysForOnboarding()</c> reads <c>api_keys</c>.</summary>
    public async Task<JsonObject> GetApiKeysForOnboardingAsync() => (JsonObject)(await GetAsync("api/onboarding/api-keys/onboarding"))["api_keys"]!;

    public Task<JsonNode> GetStepDataAsync(int step) => GetAsync($"api/onboarding/step/{step}");

    public Task<JsonNode> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonNode> PostAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Post, path, body);

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        Calls.Add($"{method} {path}");
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : Infrastructure.Http.Json(body.ToJsonString()),
        };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(text)!;
    }
}

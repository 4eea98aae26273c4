using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Onboarding.Tests.Infrastructure;

/// <summary>Small helpers for JSON over HTTP with the API's snake_case wire format.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object value) => Json(JsonSerializer.Serialize(value));

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty JSON body.");
    }

    /// <summary>Asserts the status and returns the body, with the body in the failure message.</summary>
    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Asserts a ProblemDetails answer with the status and a detail string, and returns it.</summary>
    public static async Task<JsonNode> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        return AssertProblem(body, response.Content.Headers.ContentType?.MediaType, status);
    }

    /// <summary>Asserts a ProblemDetails answer with the status and the API's stable type <c>{Problems.TypePrefix}{slug}</c>.</summary>
    public static async Task<JsonNode> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string slug)
        => AssertType(await response.ExpectProblemAsync(status), slug);

    /// <summary>The checks every ProblemDetails answer passes, on its body and media type.</summary>
    internal static JsonNode AssertProblem(JsonNode body, string? mediaType, HttpStatusCode status)
    {
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["detail"]?.GetValue<string>()), "ProblemDetails must carry a detail.");
        Assert.False(string.IsNullOrWhiteSpace(body["type"]?.GetValue<string>()), "ProblemDetails must carry a type.");
        return body;
    }

    /// <summary>The problem carries the API's stable type <c>{Problems.TypePrefix}{slug}</c>.</summary>
    internal static JsonNode AssertType(JsonNode problem, string slug)
    {
        Assert.Equal(global::Onboarding.Core.Http.Problems.TypePrefix + slug, problem["type"]!.GetValue<string>());
        return problem;
    }

    /// <summary>The field names of a ValidationProblem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonNode problem)
        => problem["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body)
        => client.PostAsync(path, Json(body));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body)
        => client.PutAsync(path, Json(body));

    public static Task<T?> GetJsonAsync<T>(this HttpClient client, string path) => client.GetFromJsonAsync<T>(path);
}

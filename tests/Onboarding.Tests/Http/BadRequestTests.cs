using System.Net;
using System.Text;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>
/// The bad-input matrix for request bodies, route values and query strings: each gets its 4xx ProblemDetails, none a
/// 500, and the user's stored rows and secrets are byte-for-byte (ETags included) what they were before.
/// </summary>
public abstract class BadRequestTests(ApiFixture api)
{
    private const string Json = "application/json";
    private const string ValidKey = "sk-test0123456789abcdefghijklmnop";

    public static TheoryData<string, string, string, string?, string, int, string> Bodies => new()
    {
        // Malformed or not an object.
        { "truncated JSON", "PUT", "api/onboarding/step/2", Json, "{\"website\": ", 400, "invalid-json" },
        { "an array", "PUT", "api/onboarding/step/2", Json, "[1,2]", 400, "invalid-json" },
        { "a string", "PUT", "api/onboarding/step/2", Json, "\"https://a.example\"", 400, "invalid-json" },
        { "JSON null", "PUT", "api/onboarding/step/2", Json, "null", 400, "invalid-json" },
        { "an empty body", "PUT", "api/onboarding/step/2", Json, "", 400, "invalid-json" },
        { "whitespace", "PUT", "api/onboarding/step/2", Json, "   ", 400, "invalid-json" },
        { "a byte order mark", "PUT", "api/onboarding/step/2", Json, "\uFEFF{}", 400, "invalid-json" },
        { "a duplicate property", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"https://a.example\",\"website\":\"https://b.example\"}", 400, "invalid-json" },
        { "half a surrogate pair in a value", "PUT", "api/onboarding/step/3", Json, "{\"researchSummary\":\"\\ud800\"}", 400, "invalid-json" },
        { "half a surrogate pair in a name", "PUT", "api/onboarding/step/3", Json, "{\"\\udc00\":1}", 400, "invalid-json" },
        { "nesting deeper than 32", "PUT", "api/onboarding/step/3", Json, "{\"a\":" + new string('[', 40) + new string(']', 40) + "}", 400, "invalid-json" },

        // Wrong types and invalid URLs in step data.
        { "a number as website", "PUT", "api/onboarding/step/2", Json, "{\"website\":5}", 400, "validation" },
        { "an ftp URL", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"ftp://example.com\"}", 400, "validation" },
        { "a javascript URL", "PUT", "api/onboarding/step/2", Json, "{\"website_url\":\"javascript:alert(1)\"}", 400, "validation" },
        { "a URL without host", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"https://\"}", 400, "validation" },
        { "a URL without scheme", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"example.com\"}", 400, "validation" },
        { "a relative URL", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"/about\"}", 400, "validation" },
        { "a file URL", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"file:///etc/passwd\"}", 400, "validation" },
        { "a URL over 2048 characters", "PUT", "api/onboarding/step/2", Json, "{\"website\":\"https://a.example/" + new string('x', 2100) + "\"}", 400, "validation" },
        { "api_keys not an object", "PUT", "api/onboarding/step/1", Json, "{\"api_keys\":[\"" + ValidKey + "\"]}", 400, "validation" },
        { "a key that is a number", "PUT", "api/onboarding/step/1", Json, "{\"api_keys\":{\"openai\":12345678901}}", 400, "validation" },
        { "a key for an unknown provider", "PUT", "api/onboarding/step/1", Json, "{\"api_keys\":{\"acme\":\"" + ValidKey + "\"}}", 400, "validation" },

        // Wrong content types.
        { "text/plain", "PUT", "api/onboarding/step/2", "text/plain", "{\"website\":\"https://a.example\"}", 415, "unsupported-media-type" },
        { "no content type", "PUT", "api/onboarding/step/2", null, "{\"website\":\"https://a.example\"}", 415, "unsupported-media-type" },
        { "XML", "PUT", "api/onboarding/step/2", "application/xml", "<website>https://a.example</website>", 415, "unsupported-media-type" },
        { "a form", "POST", "api/onboarding/step/2/complete", "application/x-www-form-urlencoded", "website=https%3A%2F%2Fa.example", 415, "unsupported-media-type" },
        { "text/plain key", "POST", "api/onboarding/api-keys", "text/plain", "{\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\"}", 415, "unsupported-media-type" },

        // The completion body {data, validation_errors}.
        { "an unknown field", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"https://a.example\"},\"extra\":1}", 400, "validation" },
        { "step fields outside data", "POST", "api/onboarding/step/2/complete", Json, "{\"website\":\"https://a.example\"}", 400, "validation" },
        { "a user_id field", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"https://a.example\"},\"user_id\":\"1\"}", 400, "validation" },
        { "data as a string", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":\"https://a.example\"}", 400, "validation" },
        { "data as an array", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":[]}", 400, "validation" },
        { "validation_errors as a string", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"https://a.example\"},\"validation_errors\":\"none\"}", 400, "validation" },
        { "validation_errors as an object", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"https://a.example\"},\"validation_errors\":{}}", 400, "validation" },
        { "validation_errors of numbers", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"https://a.example\"},\"validation_errors\":[1]}", 400, "validation" },
        { "an invalid website on completion", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{\"website\":\"not a url\"}}", 400, "validation" },
        { "a malformed completion", "POST", "api/onboarding/step/2/complete", Json, "{\"data\":{", 400, "invalid-json" },

        // The api-keys body {provider, api_key, description}.
        { "an unknown key field", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\",\"extra\":1}", 400, "invalid-json" },
        { "a camelCase key field", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"apiKey\":\"" + ValidKey + "\"}", 400, "invalid-json" },
        { "a user_id key field", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\",\"user_id\":\"1\"}", 400, "invalid-json" },
        { "a numeric provider", "POST", "api/onboarding/api-keys", Json, "{\"provider\":5,\"api_key\":\"" + ValidKey + "\"}", 400, "invalid-json" },
        { "a missing api_key", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\"}", 400, "invalid-json" },
        { "a null api_key", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":null}", 400, "invalid-json" },
        { "a numeric description", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\",\"description\":5}", 400, "invalid-json" },
        { "a duplicate provider", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"provider\":\"anthropic\",\"api_key\":\"" + ValidKey + "\"}", 400, "invalid-json" },
        { "half a surrogate pair in a key field name", "POST", "api/onboarding/api-keys", Json, "{\"\\udc00\":1,\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\"}", 400, "invalid-json" },
        { "half a surrogate pair in a key", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"sk-\\ud800" + ValidKey[3..] + "\"}", 400, "invalid-json" },
        { "an empty key body", "POST", "api/onboarding/api-keys", Json, "", 400, "invalid-json" },
        { "a key body array", "POST", "api/onboarding/api-keys", Json, "[]", 400, "invalid-json" },
        { "an unknown provider", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"acme\",\"api_key\":\"" + ValidKey + "\"}", 400, "validation" },
        { "an upper-case provider", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"OpenAI\",\"api_key\":\"" + ValidKey + "\"}", 400, "validation" },
        { "a malformed key", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"not-a-key\"}", 400, "validation" },
        { "a blank key", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"   \"}", 400, "validation" },
        { "a key over 512 characters", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"sk-" + new string('a', 600) + "\"}", 400, "validation" },
        { "a description over 200 characters", "POST", "api/onboarding/api-keys", Json, "{\"provider\":\"openai\",\"api_key\":\"" + ValidKey + "\",\"description\":\"" + new string('d', 201) + "\"}", 400, "validation" },

        // Route values and query strings.
        { "step 0", "GET", "api/onboarding/step/0", null, "", 404, "unknown-step" },
        { "step 7", "PUT", "api/onboarding/step/7", Json, "{}", 404, "unknown-step" },
        { "step abc", "POST", "api/onboarding/step/abc/complete", Json, "{}", 404, "unknown-step" },
        { "step 01", "GET", "api/onboarding/step/01", null, "", 404, "unknown-step" },
        { "step -1", "POST", "api/onboarding/step/-1/skip", null, "", 404, "unknown-step" },
        { "step 1.0", "PUT", "api/onboarding/step/1.0", Json, "{}", 404, "unknown-step" },
        { "step 99999999999", "GET", "api/onboarding/step/99999999999", null, "", 404, "unknown-step" },
        { "skipping step 2 (required)", "POST", "api/onboarding/step/2/skip", null, "", 400, "step-not-optional" },
        { "skipping step 2", "POST", "api/onboarding/step/2/skip", null, "", 400, "step-not-optional" },
        { "skipping step 3", "POST", "api/onboarding/step/3/skip", null, "", 400, "step-not-optional" },
        { "skipping step 4", "POST", "api/onboarding/step/4/skip", null, "", 400, "step-not-optional" },
        { "skipping step 6", "POST", "api/onboarding/step/6/skip", null, "", 400, "step-not-optional" },
        { "reset with hard=maybe", "POST", "api/onboarding/reset?hard=maybe", null, "", 400, "invalid-query" },
        { "reset with hard twice", "POST", "api/onboarding/reset?hard=true&hard=false", null, "", 400, "invalid-query" },
        { "deleting an unknown provider", "DELETE", "api/onboarding/api-keys/acme", null, "", 404, "unknown-provider" },
        { "deleting OPENAI", "DELETE", "api/onboarding/api-keys/OPENAI", null, "", 404, "unknown-provider" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_request_gets_its_problem_and_changes_nothing(string name, string method, string path, string? contentType, string body, int status, string slug)
    {
        var (client, subject) = await api.SeededUserAsync();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST" && (body.Length > 0 || contentType is not null))
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        var response = await client.SendAsync(request);

        var problem = await response.ExpectProblemAsync((HttpStatusCode)status, slug);
        Assert.DoesNotContain("LineNumber", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        Assert.True(before == after, $"The rejected request ({name}) changed the stored state.\nBefore:\n{before}\nAfter:\n{after}");
    }

    [Fact]
    public async Task A_malformed_body_is_described_once_with_its_line_and_byte()
    {
        var (client, _) = api.NewUser();

        var problem = await (await client.PutAsync("api/onboarding/step/2", Infrastructure.Http.Json("{\n  \"website\": x\n}")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Equal("The request body is not valid JSON (line 2, byte 14): 'x' is an invalid start of a value.", detail);
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_named_in_the_detail()
    {
        var (client, _) = api.NewUser();

        var problem = await (await client.PostAsync("api/onboarding/api-keys", Infrastructure.Http.Json("{\"provider\":5,\"api_key\":\"x\"}")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");

        Assert.Contains("'$.provider'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class BadRequestTestsOnServer(ApiFixture api) : BadRequestTests(api), IClassFixture<ApiFixture>;

public sealed class BadRequestTestsOnFunctions(FunctionsApiFixture api) : BadRequestTests(api), IClassFixture<FunctionsApiFixture>;

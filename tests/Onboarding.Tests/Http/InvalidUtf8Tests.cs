using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>
/// Bodies with raw bytes that are not UTF-8 (not escapes: the bytes themselves). JSON text must be UTF-8, so each is a
/// 400 invalid-json and stores nothing: never a 500, never a value silently changed to U+FFFD, never two bad-byte
/// property names stored as one repeated name.
/// </summary>
public sealed class InvalidUtf8Tests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>
    /// Bodies written as Latin-1 text: each character below U+0100 is one byte on the wire, so <c>\u00E9</c> is the single
    /// byte 0xE9 (Latin-1 é), which no UTF-8 sequence starts with and ends like that.
    /// </summary>
    public static TheoryData<string, string, string, string> Bodies => new()
    {
        { "a Latin-1 byte in a step 1 key", "PUT", "api/onboarding/step/1", "{\"api_keys\":{\"openai\":\"sk-caf\u00E9456789abcdefghijklmnop\"}}" },
        { "a Latin-1 byte in a step 2 draft", "PUT", "api/onboarding/step/2", "{\"website\":\"https://caf\u00E9.example\"}" },
        { "a Latin-1 byte in a step 3 draft", "PUT", "api/onboarding/step/3", "{\"researchSummary\":\"caf\u00E9\"}" },
        { "a Latin-1 byte in a step 4 draft", "PUT", "api/onboarding/step/4", "{\"corePersona\":{\"identity\":\"caf\u00E9\"}}" },
        { "a Latin-1 byte in a step 5 draft", "PUT", "api/onboarding/step/5", "{\"notes\":\"caf\u00E9\"}" },
        { "two bad-byte property names", "PUT", "api/onboarding/step/3", "{\"\u00FF\":1,\"\u00FE\":2}" },
        { "an overlong encoding of /", "PUT", "api/onboarding/step/3", "{\"researchSummary\":\"\u00C0\u00AF\"}" },
        { "a UTF-8-encoded lone surrogate", "PUT", "api/onboarding/step/3", "{\"researchSummary\":\"\u00ED\u00A0\u0080\"}" },
        { "a truncated sequence at the end of a string", "PUT", "api/onboarding/step/3", "{\"researchSummary\":\"ab\u00E2\u0082\"}" },
        { "a bad byte in a step 1 completion", "POST", "api/onboarding/step/1/complete", "{\"data\":{\"api_keys\":{\"openai\":\"sk-caf\u00E9456789abcdefghijklmnop\"}}}" },
        { "a bad byte in a step 2 completion", "POST", "api/onboarding/step/2/complete", "{\"data\":{\"website\":\"https://caf\u00E9.example\"}}" },
        { "a bad byte in a step 3 completion", "POST", "api/onboarding/step/3/complete", "{\"data\":{\"researchSummary\":\"caf\u00E9\"}}" },
        { "a bad byte in a completion's field name", "POST", "api/onboarding/step/2/complete", "{\"d\u00E0ta\":{}}" },
        { "a bad byte in validation_errors", "POST", "api/onboarding/step/2/complete", "{\"data\":{\"website\":\"https://a.example\"},\"validation_errors\":[\"caf\u00E9\"]}" },
        { "a bad byte in an api key", "POST", "api/onboarding/api-keys", "{\"provider\":\"openai\",\"api_key\":\"sk-caf\u00E9456789abcdefghijklmnop\"}" },
        { "a bad byte in a key description", "POST", "api/onboarding/api-keys", "{\"provider\":\"openai\",\"api_key\":\"sk-test0123456789abcdefghijklmnop\",\"description\":\"caf\u00E9\"}" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_that_is_not_UTF_8_is_invalid_json_and_changes_nothing(string name, string method, string path, string latin1Body)
    {
        var (client, subject) = await api.SeededUserAsync();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var response = await client.SendAsync(Request(method, path, latin1Body));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
        var after = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        Assert.True(before == after, $"The rejected body ({name}) changed the stored state.\nBefore:\n{before}\nAfter:\n{after}");
    }

    [Fact]
    public async Task The_same_text_sent_as_UTF_8_is_stored_as_sent()
    {
        // The control: é as its two UTF-8 bytes is an ordinary character and comes back unchanged.
        var (client, _) = api.NewUser();
        await Seed.StartedUserAsync(client);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"researchSummary\":\"caf\u00E9\"}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await (await client.PutAsync("api/onboarding/step/3", content)).ExpectAsync(HttpStatusCode.OK);
        var step = await (await client.GetAsync("api/onboarding/step/3")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("caf\u00E9", step["data"]!["researchSummary"]!.GetValue<string>());
    }

    private static HttpRequestMessage Request(string method, string path, string latin1Body)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
    }
}

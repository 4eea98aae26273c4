using System.Net;
using System.Security.Cryptography;
using System.Text;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>UserKey = lowercase hex of the first 16 bytes of SHA-256(issuer + "\n" + subject), the same in every process.</summary>
public abstract class UserKeyTests(ApiFixture api)
{
    [Theory]
    [InlineData("https://clerk.example.com", "user_2abc", "62f0288e1aff4a4a87aad43a7580922c")]
    [InlineData("https://login.microsoftonline.com/tid/v2.0", "oid-1", "b8ef959a9a0399728f8b0ab282eee52b")]
    public void The_user_key_is_the_known_vector(string issuer, string subject, string expected)
    {
        // The vectors were computed outside .NET (Python's hashlib), so they pin the format across processes and releases.
        Assert.Equal(expected, CurrentUser.DeriveUserKey(issuer, subject));
        Assert.Equal(expected, IndependentKey(issuer, subject));
    }

    [Fact]
    public void The_same_subject_at_two_issuers_is_two_users()
    {
        Assert.NotEqual(
            CurrentUser.DeriveUserKey("https://a.example/", "user_1"),
            CurrentUser.DeriveUserKey("https://b.example/", "user_1"));
        Assert.NotEqual(
            CurrentUser.DeriveUserKey("https://a.example/", "user_1"),
            CurrentUser.DeriveUserKey("https://a.example", "user_1"));
    }

    [Fact]
    public async Task The_api_names_the_user_by_the_derived_key_everywhere_and_stores_under_it()
    {
        var (client, subject) = api.NewUser();
        var expected = IndependentKey(api.Issuer.Authority, subject);

        var me = await (await client.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        var init = await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(expected, me["id"]!.GetValue<string>());
        Assert.Equal(api.Issuer.Authority, me["issuer"]!.GetValue<string>());
        Assert.Equal(subject, me["subject"]!.GetValue<string>());
        Assert.Equal(expected, init["user"]!["id"]!.GetValue<string>());
        Assert.Equal(expected, init["session"]!["session_id"]!.GetValue<string>());
        var row = Assert.Single(await PartitionDump.RowsAsync(api.Azurite, expected));
        Assert.Equal("progress", row.RowKey);
        Assert.Matches("^[0-9a-f]{32}$", expected);
    }

    /// <summary>The derivation written out again, without the production code.</summary>
    private static string IndependentKey(string issuer, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject));
        var hex = new StringBuilder();
        foreach (var b in hash.AsSpan(0, 16))
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}

public sealed class UserKeyTestsOnServer(ApiFixture api) : UserKeyTests(api), IClassFixture<ApiFixture>;

public sealed class UserKeyTestsOnFunctions(FunctionsApiFixture api) : UserKeyTests(api), IClassFixture<FunctionsApiFixture>;

using System.Security.Cryptography;
using System.Text;
using Onboarding.Core.Identity;
using Xunit;

namespace Onboarding.Tests.Identity;

public sealed class UserKeyDerivationTests
{
    [Theory]
    [InlineData("https://clerk.example.com", "user_2abcdEFGhijkLMNopqRStuvWXyz")]
    [InlineData("https://login.microsoftonline.com/tid/v2.0", "00000000-0000-0000-0000-000000000000")]
    [InlineData("https://tenant.auth0.com/", "auth0|0123456789")]
    [InlineData("https://issuer.example/", "ünïcødé subject 😀")]
    [InlineData("https://issuer.example/", "\ud800 lone surrogate \udc00")]
    public void The_user_key_is_the_first_16_bytes_of_sha256_of_issuer_newline_subject_in_lowercase_hex(string issuer, string subject)
    {
        Assert.Equal(Reference(issuer, subject), CurrentUser.DeriveUserKey(issuer, subject));
    }

    [Fact]
    public void Long_inputs_that_do_not_fit_the_stack_buffer_give_the_same_key()
    {
        var issuer = "https://issuer.example/" + new string('i', 700);
        var subject = new string('s', 256) + "é";

        Assert.Equal(Reference(issuer, subject), CurrentUser.DeriveUserKey(issuer, subject));
    }

    [Fact]
    public void A_known_user_keeps_the_key_it_had()
    {
        Assert.Equal("0cc2cddb4b3277b10c28be85a0ad5c44", CurrentUser.DeriveUserKey("https://clerk.example.com", "user_1"));
    }

    private static string Reference(string issuer, string subject)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject))[..16]);
}

using System.Security.Cryptography;
using System.Text;
using Onboarding.Tests.Infrastructure;
using Xunit;
using static Onboarding.Tests.Security.ForgedTokens;

namespace Onboarding.Tests.Security;

/// <summary>
/// Forged or broken bearer tokens, by name. Each one is a token an attacker can produce without the issuer's private key,
/// or a token of the issuer that is not meant for this API (wrong audience, party, type or lifetime).
/// </summary>
public static class TokenAttacks
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The order of the P-256 group, big-endian.</summary>
    private static readonly byte[] P256Order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    public static IReadOnlyDictionary<string, Func<ForgedTokens, string>> All { get; } = new Dictionary<string, Func<ForgedTokens, string>>
    {
        // "alg": "none" in every spelling: an unsigned token must never be trusted.
        ["alg none, no signature"] = t => Unsigned(t, "none"),
        ["alg None, no signature"] = t => Unsigned(t, "None"),
        ["alg NONE, no signature"] = t => Unsigned(t, "NONE"),
        ["alg nOnE, no signature"] = t => Unsigned(t, "nOnE"),
        ["alg none, real signature kept"] = t => WithHeader(t.SignedByIssuer(), t.RsaHeader(h => h["alg"] = "none")),
        ["alg missing"] = t => Compact(t.RsaHeader(h => h.Remove("alg")), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["alg empty"] = t => Compact(t.RsaHeader(h => h["alg"] = string.Empty), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["alg rs256 in lower case"] = t => t.SignedByIssuer(algorithm: "rs256"),

        // Algorithm confusion: the issuer's public RSA key used as an HMAC secret.
        ["HS256 keyed with the public key PEM"] = t => HmacWithPublicKey(t, "HS256", "pem"),
        ["HS256 keyed with the public key PEM and a newline"] = t => HmacWithPublicKey(t, "HS256", "pem-newline"),
        ["HS256 keyed with the public key SPKI DER"] = t => HmacWithPublicKey(t, "HS256", "spki-der"),
        ["HS256 keyed with the public key PKCS#1 DER"] = t => HmacWithPublicKey(t, "HS256", "pkcs1-der"),
        ["HS256 keyed with the modulus n"] = t => HmacWithPublicKey(t, "HS256", "n"),
        ["HS256 keyed with n base64url"] = t => HmacWithPublicKey(t, "HS256", "n-base64url"),
        ["HS256 keyed with the JWK n and e"] = t => HmacWithPublicKey(t, "HS256", "jwk"),
        ["HS384 keyed with the public key PEM"] = t => HmacWithPublicKey(t, "HS384", "pem"),
        ["HS512 keyed with the public key PEM"] = t => HmacWithPublicKey(t, "HS512", "pem"),

        // Only RS256, ES256 and PS256 are accepted, even when the issuer's own key signed with another one.
        ["RS384 signed by the issuer's key"] = t => t.SignedByIssuer(algorithm: "RS384"),
        ["RS512 signed by the issuer's key"] = t => t.SignedByIssuer(algorithm: "RS512"),
        ["PS512 signed by the issuer's key"] = t => t.SignedByIssuer(algorithm: "PS512"),
        ["PS256 header over a PKCS#1 v1.5 signature"] = t => Compact(t.RsaHeader(h => h["alg"] = "PS256"), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["ES256 header over the RSA key id"] = t => Compact(t.RsaHeader(h => h["alg"] = "ES256"), t.Claims(),
            i => t.Issuer.EcKey.ECDsa!.SignData(i, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
        ["RS256 header over the EC key id"] = t => Compact(t.RsaHeader(h => h["kid"] = t.EcKid), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),

        // ECDSA "psychic signatures" (CVE-2022-21449): r = s = 0 must not verify.
        ["ES256 signature r = s = 0"] = t => EcWithSignature(t, new byte[64]),
        ["ES256 DER signature r = s = 0"] = t => EcWithSignature(t, [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]),
        ["ES256 empty signature"] = t => EcWithSignature(t, []),
        ["ES256 signature r = s = curve order"] = t => EcWithSignature(t, [.. P256Order, .. P256Order]),

        // Tampering with a token the issuer really signed.
        ["payload tampered after signing"] = t => WithPayload(t.SignedByIssuer(), t.Claims()),
        ["sub swapped after signing"] = t => SwapSubject(t),
        ["signature bit flipped"] = t => FlipSignatureBit(t.SignedByIssuer()),
        ["signature truncated"] = t => { var s = t.SignedByIssuer(); return s[..^8]; },
        ["signature stripped"] = t => { var s = t.SignedByIssuer(); return s[..(s.LastIndexOf('.') + 1)]; },
        ["signature of another token"] = t => WithSignatureOf(t.SignedByIssuer(), t.SignedByIssuer()),
        ["EC token with RSA signature moved over"] = t => WithSignatureOf(t.SignedByIssuerEc(), t.SignedByIssuer()),

        // Keys the issuer does not have.
        ["unknown kid signed by an attacker"] = t => t.SignedByAttacker("attacker-key"),
        ["issuer's kid signed by an attacker"] = t => t.SignedByAttacker(t.RsaKid),
        ["kid missing"] = t => Compact(t.RsaHeader(h => h.Remove("kid")), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["kid path traversal"] = t => t.SignedByAttacker("../../../../dev/null"),
        ["kid as a number"] = t => Compact(t.RsaHeader(h => h["kid"] = 1), t.Claims(), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["another issuer's key and kid, claiming this issuer"] = t => t.SignedByOtherIssuer(t.OtherIssuerKid),
        ["another issuer's key under this issuer's kid"] = t => t.SignedByOtherIssuer(t.RsaKid),

        // Key material carried in the header must be ignored, never fetched, never trusted.
        ["jwk header with the attacker's key and the issuer's kid"] = t => t.SignedByAttacker(t.RsaKid, h => h["jwk"] = t.AttackerJwk(t.RsaKid)),
        ["jwk header with the attacker's key and its own kid"] = t => t.SignedByAttacker("attacker-jwk", h => h["jwk"] = t.AttackerJwk("attacker-jwk")),
        ["jku header to the attacker's JWKS, issuer's kid"] = t => t.SignedByAttacker(t.RsaKid, h => h["jku"] = t.AttackerUrl.AbsoluteUri),
        ["jku header to the attacker's JWKS, own kid"] = t => t.SignedByAttacker("attacker-jku", h => h["jku"] = t.AttackerUrl.AbsoluteUri),
        ["x5u header to the attacker's certificate"] = t => t.SignedByAttacker("attacker-x5u", h => h["x5u"] = t.AttackerUrl.AbsoluteUri),
        ["x5c header with the attacker's certificate, issuer's kid"] = t => t.SignedByAttacker(t.RsaKid, h => h["x5c"] = new[] { t.AttackerCertificate() }),
        ["x5c header with the attacker's certificate, own kid"] = t => t.SignedByAttacker("attacker-x5c", h => h["x5c"] = new[] { t.AttackerCertificate() }),

        // Lifetime: 60 s of clock skew and no more.
        ["expired beyond the skew"] = t => t.SignedByIssuer(c => { c["iat"] = Now - 900; c["nbf"] = Now - 900; c["exp"] = Now - 120; }),
        ["not valid yet beyond the skew"] = t => t.SignedByIssuer(c => { c["nbf"] = Now + 120; c["exp"] = Now + 900; }),
        ["issued in the future beyond the skew"] = t => t.SignedByIssuer(c => { c["iat"] = Now + 120; c.Remove("nbf"); }),
        ["exp missing"] = t => t.SignedByIssuer(c => c.Remove("exp")),
        ["exp as a string"] = t => t.SignedByIssuer(c => c["exp"] = (Now + 600).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["iat as a string in the future"] = t => t.SignedByIssuer(c => c["iat"] = (Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)),

        // Issuer: exactly the configured string.
        ["iss without the trailing slash"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority.TrimEnd('/')),
        ["iss with a second trailing slash"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority + "/"),
        ["iss in upper case"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority.ToUpperInvariant()),
        ["iss with localhost for 127.0.0.1"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)),
        ["iss on a lookalike host"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority.Replace("127.0.0.1", "127.0.0.1.attacker.example", StringComparison.Ordinal)),
        ["iss with https for http"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority.Replace("http://", "https://", StringComparison.Ordinal)),
        ["iss with a path appended"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority + "tenant2/"),
        ["iss with trailing whitespace"] = t => t.SignedByIssuer(c => c["iss"] = t.Issuer.Authority + " "),
        ["iss missing"] = t => t.SignedByIssuer(c => c.Remove("iss")),
        ["iss as an array"] = t => t.SignedByIssuer(c => c["iss"] = new[] { t.Issuer.Authority }),

        // Audience (configured) and authorized party (configured).
        ["aud of another API"] = t => t.SignedByIssuer(c => c["aud"] = "another-api"),
        ["aud with a trailing slash"] = t => t.SignedByIssuer(c => c["aud"] = TestIssuer.DefaultAudience + "/"),
        ["aud in upper case"] = t => t.SignedByIssuer(c => c["aud"] = TestIssuer.DefaultAudience.ToUpperInvariant()),
        ["aud missing"] = t => t.SignedByIssuer(c => c.Remove("aud")),
        ["aud array without this API"] = t => t.SignedByIssuer(c => c["aud"] = new[] { "another-api", "third-api" }),
        ["azp not authorized"] = t => t.SignedByIssuer(c => c["azp"] = "https://attacker.example"),
        ["azp with a trailing slash"] = t => t.SignedByIssuer(c => c["azp"] = "https://app.example/"),
        ["azp in upper case"] = t => t.SignedByIssuer(c => c["azp"] = "HTTPS://APP.EXAMPLE"),
        ["azp missing"] = t => t.SignedByIssuer(c => c.Remove("azp")),
        ["azp as an array"] = t => t.SignedByIssuer(c => c["azp"] = new[] { "https://app.example" }),

        // Subject: required, a non-empty string of sane length.
        ["sub missing"] = t => t.SignedByIssuer(c => c.Remove("sub")),
        ["sub empty"] = t => t.SignedByIssuer(c => c["sub"] = string.Empty),
        ["sub whitespace"] = t => t.SignedByIssuer(c => c["sub"] = "   "),
        ["sub too long"] = t => t.SignedByIssuer(c => c["sub"] = new string('a', 257)),
        ["sub as a number"] = t => t.SignedByIssuer(c => c["sub"] = 12345),
        ["sub as an object"] = t => t.SignedByIssuer(c => c["sub"] = new { id = "victim" }),
        ["sub as an array"] = t => t.SignedByIssuer(c => c["sub"] = new[] { "victim" }),

        // Header parameters that change how the token must be processed.
        ["crit header"] = t => t.SignedByIssuer(header: h => h["crit"] = new[] { "exp" }),
        ["crit b64 false (unencoded payload)"] = t => t.SignedByIssuer(header: h => { h["crit"] = new[] { "b64" }; h["b64"] = false; }),
        ["typ JWE"] = t => t.SignedByIssuer(header: h => h["typ"] = "JWE"),
        ["typ id_token+jwt"] = t => t.SignedByIssuer(header: h => h["typ"] = "id_token+jwt"),
        ["typ dpop+jwt"] = t => t.SignedByIssuer(header: h => h["typ"] = "dpop+jwt"),
        ["typ logout+jwt"] = t => t.SignedByIssuer(header: h => h["typ"] = "logout+jwt"),
        ["typ secevent+jwt"] = t => t.SignedByIssuer(header: h => h["typ"] = "secevent+jwt"),
        ["typ JOSE+JSON"] = t => t.SignedByIssuer(header: h => h["typ"] = "JOSE+JSON"),
        ["cty JWT (nested token)"] = t => t.SignedByIssuer(header: h => h["cty"] = "JWT"),
        ["zip header"] = t => t.SignedByIssuer(header: h => h["zip"] = "DEF"),
        ["enc header on a JWS"] = t => t.SignedByIssuer(header: h => h["enc"] = "A256GCM"),

        // Not a compact JWS.
        ["JWE with five parts"] = t => string.Join('.', B64(ForgedTokens.Json(new { alg = "RSA-OAEP", enc = "A256GCM", kid = t.RsaKid })), B64(RandomNumberGenerator.GetBytes(256)),
            B64(RandomNumberGenerator.GetBytes(12)), B64(RandomNumberGenerator.GetBytes(64)), B64(RandomNumberGenerator.GetBytes(16))),
        ["JWE dir with five parts"] = t => string.Join('.', B64(ForgedTokens.Json(new { alg = "dir", enc = "A128CBC-HS256" })), string.Empty,
            B64(RandomNumberGenerator.GetBytes(16)), B64(RandomNumberGenerator.GetBytes(64)), B64(RandomNumberGenerator.GetBytes(16))),
        ["JWS JSON serialization"] = t => ForgedTokens.Json(new { payload = B64(ForgedTokens.Json(t.Claims())), signatures = new[] { new { @protected = B64(ForgedTokens.Json(t.RsaHeader())), signature = "AAAA" } } }),
        ["payload is a JSON array"] = t => Compact(ForgedTokens.Json(t.RsaHeader()), "[1,2,3]", i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["payload is a JSON string"] = t => Compact(ForgedTokens.Json(t.RsaHeader()), "\"sub\"", i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["header is not JSON"] = t => Compact("{alg:RS256", ForgedTokens.Json(t.Claims()), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["a claim nested 100 deep"] = t => Compact(ForgedTokens.Json(t.RsaHeader()), ForgedTokens.Json(t.Claims())[..^1] + ",\"deep\":" + new string('[', 100) + new string(']', 100) + "}",
            i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["a claim nested 1000 deep"] = t => Compact(ForgedTokens.Json(t.RsaHeader()), ForgedTokens.Json(t.Claims())[..^1] + ",\"deep\":" + new string('[', 1000) + new string(']', 1000) + "}",
            i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["payload nested 500 deep"] = t => Compact(ForgedTokens.Json(t.RsaHeader()), new string('[', 500) + new string(']', 500), i => SignRsa(t.Issuer.RsaKey.Rsa, i, "RS256")),
        ["two tokens in one header"] = t => t.SignedByIssuer() + " " + t.SignedByIssuer(),
        ["two tokens joined by a comma"] = t => t.SignedByIssuer() + ", Bearer " + t.SignedByIssuer(),

        // Size: a validly signed token over the limit is still refused (before any key is looked at).
        ["token just over 8 KiB"] = t => t.SignedByIssuer(c => c["padding"] = new string('x', 8 * 1024)),
        ["token of 20 KiB"] = t => t.SignedByIssuer(c => c["padding"] = new string('x', 15 * 1024)),
    };

    public static IEnumerable<TheoryDataRow<string>> Names => All.Keys.Select(k => new TheoryDataRow<string>(k));

    private static string Unsigned(ForgedTokens t, string alg) => Compact(ForgedTokens.Json(new { alg, typ = "JWT" }), ForgedTokens.Json(t.Claims()), _ => []);

    private static string HmacWithPublicKey(ForgedTokens t, string algorithm, string keyForm)
    {
        var secret = t.PublicKeyAs(keyForm);
        return Compact(t.RsaHeader(h => h["alg"] = algorithm), t.Claims(), input => Hmac(algorithm, secret, input));
    }

    private static string EcWithSignature(ForgedTokens t, byte[] signature)
        => Compact(t.RsaHeader(h => { h["alg"] = "ES256"; h["kid"] = t.EcKid; }), t.Claims(), _ => signature);

    private static string WithHeader(string token, object header)
    {
        var parts = token.Split('.');
        return B64(ForgedTokens.Json(header)) + "." + parts[1] + "." + parts[2];
    }

    private static string WithPayload(string token, object payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + B64(ForgedTokens.Json(payload)) + "." + parts[2];
    }

    private static string WithSignatureOf(string token, string donor)
        => token[..token.LastIndexOf('.')] + donor[donor.LastIndexOf('.')..];

    private static string SwapSubject(ForgedTokens t)
    {
        var token = t.SignedByIssuer();
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        var swapped = System.Text.RegularExpressions.Regex.Replace(payload, "\"sub\":\"[^\"]+\"", "\"sub\":\"victim\"");
        return parts[0] + "." + B64(swapped) + "." + parts[2];
    }

    private static string FlipSignatureBit(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]);
        signature[signature.Length / 2] ^= 0x01;
        return token[..(dot + 1)] + B64(signature);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Tests.Infrastructure;

namespace Onboarding.Tests.Security;

/// <summary>
/// Builds tokens byte by byte, so an attack can put anything in the header, the payload or the signature. Signing keys
/// are the issuer's real ones (what an attacker does not have) or an attacker's own.
/// </summary>
public sealed class ForgedTokens(TestIssuer issuer, TestIssuer otherIssuer, Uri attackerUrl) : IDisposable
{
    private readonly RSA _attackerRsa = RSA.Create(2048);

    public TestIssuer Issuer { get; } = issuer;

    public string RsaKid => Issuer.RsaKey.KeyId;

    public string EcKid => Issuer.EcKey.KeyId;

    /// <summary>A JWKS URL on a loopback listener that counts connections; the Server must never call it.</summary>
    public Uri AttackerUrl { get; } = attackerUrl;

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    /// <summary>The claims of a valid token for a fresh user; <paramref name="edit"/> breaks them on purpose.</summary>
    public Dictionary<string, object?> Claims(Action<Dictionary<string, object?>>? edit = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer.Authority,
            ["aud"] = TestIssuer.DefaultAudience,
            ["azp"] = "https://app.example",
            ["sub"] = ApiFixture.NewSubject("attack"),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
        };
        edit?.Invoke(claims);
        return claims;
    }

    public Dictionary<string, object?> RsaHeader(Action<Dictionary<string, object?>>? edit = null)
    {
        var header = new Dictionary<string, object?> { ["alg"] = "RS256", ["kid"] = RsaKid, ["typ"] = "JWT" };
        edit?.Invoke(header);
        return header;
    }

    /// <summary>Header and payload JSON, then the signature over them as <paramref name="sign"/> makes it.</summary>
    public static string Compact(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Compact(object header, object payload, Func<byte[], byte[]> sign) => Compact(Json(header), Json(payload), sign);

    /// <summary>A token signed by the issuer's real RSA key: valid unless the header or claims were broken.</summary>
    public string SignedByIssuer(Action<Dictionary<string, object?>>? claims = null, Action<Dictionary<string, object?>>? header = null, string algorithm = "RS256")
        => Compact(RsaHeader(h => { h["alg"] = algorithm; header?.Invoke(h); }), Claims(claims), input => SignRsa(Issuer.RsaKey.Rsa, input, algorithm));

    public string SignedByIssuerEc(Action<Dictionary<string, object?>>? header = null)
        => Compact(RsaHeader(h => { h["alg"] = "ES256"; h["kid"] = EcKid; header?.Invoke(h); }), Claims(),
            input => Issuer.EcKey.ECDsa!.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Signed with a key the attacker generated; the header names <paramref name="kid"/>.</summary>
    public string SignedByAttacker(string kid, Action<Dictionary<string, object?>>? header = null)
        => Compact(RsaHeader(h => { h["kid"] = kid; header?.Invoke(h); }), Claims(), input => SignRsa(_attackerRsa, input, "RS256"));

    /// <summary>Signed with the other issuer's real key but claiming this issuer.</summary>
    public string SignedByOtherIssuer(string kid)
        => Compact(RsaHeader(h => h["kid"] = kid), Claims(), input => SignRsa(otherIssuer.RsaKey.Rsa, input, "RS256"));

    public string OtherIssuerKid => otherIssuer.RsaKey.KeyId;

    /// <summary>The attacker's public key as a JWK (what a <c>jwk</c> header would carry).</summary>
    public Dictionary<string, string> AttackerJwk(string kid)
    {
        var p = _attackerRsa.ExportParameters(false);
        return new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
    }

    /// <summary>A self-signed certificate over the attacker's key, base64 DER as in an <c>x5c</c> header.</summary>
    public string AttackerCertificate()
    {
        var request = new CertificateRequest("CN=" + new Uri(Issuer.Authority).Host, _attackerRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Convert.ToBase64String(certificate.RawData);
    }

    /// <summary>The forms of the issuer's public RSA key an HMAC confusion attack tries as the shared secret.</summary>
    public byte[] PublicKeyAs(string form)
    {
        var rsa = Issuer.RsaKey.Rsa;
        var p = rsa.ExportParameters(false);
        return form switch
        {
            "pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "pem-newline" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            "spki-der" => rsa.ExportSubjectPublicKeyInfo(),
            "pkcs1-der" => rsa.ExportRSAPublicKey(),
            "n" => p.Modulus!,
            "n-base64url" => Encoding.ASCII.GetBytes(B64(p.Modulus!)),
            "jwk" => Encoding.UTF8.GetBytes(Json(new { kty = "RSA", e = B64(p.Exponent!), n = B64(p.Modulus!) })),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
    }

    public static byte[] Hmac(string algorithm, byte[] secret, byte[] input) => algorithm switch
    {
        "HS256" => HMACSHA256.HashData(secret, input),
        "HS384" => HMACSHA384.HashData(secret, input),
        "HS512" => HMACSHA512.HashData(secret, input),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static byte[] SignRsa(RSA rsa, byte[] input, string algorithm) => algorithm switch
    {
        "RS256" => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "RS384" => rsa.SignData(input, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS512" => rsa.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        "PS256" => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        "PS512" => rsa.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),

        // Any other header value: sign as RS256, so only the header's claim differs from a valid token.
        _ => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
    };

    public void Dispose() => _attackerRsa.Dispose();
}

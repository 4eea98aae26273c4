namespace Onboarding.Core.ApiKeys;

/// <summary>Secret-name rules shared by every secret store.</summary>
public static class SecretNames
{
    /// <summary><c>u-{UserKey}-{provider}</c>: at most 2 + 32 + 1 + 32 = 67 characters, valid for Key Vault.</summary>
    public static string For(string userKey, Provider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return $"u-{userKey}-{provider.Name}";
    }
}

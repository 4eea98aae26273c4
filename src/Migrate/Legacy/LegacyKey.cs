using Onboarding.Core.ApiKeys;

namespace Onboarding.Migrate.Legacy;

/// <summary>
/// A provider key found in a legacy record. Not a record type on purpose: a generated <c>ToString</c> would print the
/// key. Only <see cref="Hint"/> is ever shown.
/// </summary>
internal sealed class LegacyKey(Provider provider, string value)
{
    public Provider Provider { get; } = provider;

    /// <summary>The raw key: handed to the secret store and nowhere else.</summary>
    public string Value { get; } = value;

    public string Hint => ProviderCatalog.Mask(Value);

    public override string ToString() => $"{Provider.Name} {Hint}";
}

namespace Onboarding.Tests.Infrastructure;

/// <summary>The API with the strict profile (<c>Onboarding:Profile = Strict</c>): every step required, in order, at least one key.</summary>
public class StrictApiFixture(AzuriteFixture azurite) : ApiFixture(azurite)
{
    public static IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Onboarding:Profile"] = "Strict" };

    protected override IDictionary<string, string?>? HostSettings => Settings;
}

/// <summary>
/// The rules the model-based fuzz encodes: steps in order, step 1 required with at least one key, step 5 optional and
/// skippable. Not a profile of its own: the default profile with three settings.
/// </summary>
public class OrderedApiFixture(AzuriteFixture azurite) : ApiFixture(azurite)
{
    protected override IDictionary<string, string?>? HostSettings { get; } = new Dictionary<string, string?>
    {
        ["Onboarding:EnforceOrder"] = "true",
        ["Onboarding:MinimumApiKeys"] = "1",
        ["Onboarding:Steps:0:Number"] = "1",
        ["Onboarding:Steps:0:Required"] = "true",
    };
}

/// <summary>The ordered rules on the compiled Functions worker behind the test host.</summary>
public sealed class OrderedFunctionsApiFixture(AzuriteFixture azurite) : OrderedApiFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Functions;
}

/// <summary>The strict profile on the compiled Functions worker behind the test host.</summary>
public sealed class StrictFunctionsApiFixture(AzuriteFixture azurite) : StrictApiFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Functions;
}

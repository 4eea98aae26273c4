using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Faults;

/// <summary>
/// A host whose storage account is Azurite behind a <see cref="StorageFaultProxy"/>: the host keeps Core's own storage
/// client and retry policy (four attempts), and faults are injected on the wire, so both hosts meet them alike.
/// </summary>
public abstract class FaultFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public abstract ApiHostKind Kind { get; }

    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    public StorageFaultProxy Storage { get; private set; } = null!;

    public IApiHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Storage = await StorageFaultProxy.StartAsync(Azurite);
        Host = await ApiHosts.StartAsync(Kind, Azurite, Issuer, new Dictionary<string, string?> { ["Storage:ConnectionString"] = Storage.ConnectionString });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Storage.DisposeAsync();
        await Issuer.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class ServerFaultFixture(AzuriteFixture azurite) : FaultFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Server;
}

public sealed class FunctionsFaultFixture(AzuriteFixture azurite) : FaultFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Functions;
}

/// <summary>
/// When storage fails (after the SDK's bounded retries) the client gets a 503 ProblemDetails with Retry-After, and the
/// user's stored state afterwards is exactly what it was before: no half-written step, no orphan secret, no index row
/// without its secret.
/// </summary>
public abstract class StorageFaultTests(FaultFixture fixture) : IDisposable
{
    private const string SecondOpenAiKey = "sk-replacement0123456789abcdefghij";
    private const string GeminiKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv";

    public static TheoryData<StorageFault> Faults => [StorageFault.ServiceUnavailable, StorageFault.InternalError, StorageFault.ConnectionFailure];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_read_answers_503_and_writes_nothing(StorageFault fault)
    {
        var (client, subject) = await UserWithProgressAsync();
        var before = await CaptureAsync(subject);

        fixture.Storage.Fail(StorageFaultProxy.IsOnboardingQuery, fault);
        await ExpectUnavailableAsync(await client.GetAsync("api/onboarding/init"));
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/step/3/complete", StepData.Step3));
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey }));
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_transaction_answers_503_and_leaves_no_partial_step(StorageFault fault)
    {
        var (client, subject) = await UserWithProgressAsync();
        var before = await CaptureAsync(subject);

        fixture.Storage.Fail(StorageFaultProxy.IsTransaction, fault);
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/step/3/complete", StepData.Step3));
        await ExpectUnavailableAsync(await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://changed.example" }));
        await ExpectUnavailableAsync(await client.PostAsync("api/onboarding/reset?hard=true", null));
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_secret_write_answers_503_and_stores_no_key(StorageFault fault)
    {
        var (client, subject) = NewUser();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        var before = await CaptureAsync(subject);

        fixture.Storage.Fail(StorageFaultProxy.IsSecretWrite, fault);
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey }));
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1));
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_index_write_after_a_new_secret_deletes_the_secret_again(StorageFault fault)
    {
        var (client, subject) = NewUser();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        var before = await CaptureAsync(subject);

        fixture.Storage.Fail(StorageFaultProxy.IsTransaction, fault);
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey }));
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1));
        Assert.True(fixture.Storage.Log.Any(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("/devsecrets(", StringComparison.Ordinal)),
            "The secret must have been written before the index write failed, or this test proves nothing.");
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject));
    }

    [Fact]
    public async Task A_failing_index_write_after_replacing_a_key_restores_the_previous_secret()
    {
        var (client, subject) = await UserWithProgressAsync();
        var before = await CaptureAsync(subject);
        Assert.Contains(StepData.OpenAiKey, before, StringComparison.Ordinal);

        fixture.Storage.Fail(StorageFaultProxy.IsTransaction, StorageFault.ServiceUnavailable);
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = SecondOpenAiKey }));
        fixture.Storage.Heal();

        // The secret was rewritten twice (new value, then the old one back), so only ETags and timestamps may differ.
        var after = await CaptureAsync(subject);
        Assert.Equal(before, after);
        Assert.DoesNotContain(SecondOpenAiKey, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_on_the_second_secret_of_a_step_undoes_the_first()
    {
        var (client, subject) = NewUser();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        var before = await CaptureAsync(subject);

        fixture.Storage.Fail(StorageFaultProxy.IsSecretWrite, StorageFault.ServiceUnavailable, skip: 1);
        await ExpectUnavailableAsync(await client.PostJsonAsync("api/onboarding/step/1/complete",
            new { data = new { api_keys = new { openai = StepData.OpenAiKey, gemini = GeminiKey } } }));
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject));
    }

    [Fact]
    public async Task A_failing_secret_delete_puts_the_index_row_back()
    {
        var (client, subject) = await UserWithProgressAsync();
        var before = await CaptureAsync(subject, exact: false);

        fixture.Storage.Fail(StorageFaultProxy.IsSecretDelete, StorageFault.ServiceUnavailable);
        await ExpectUnavailableAsync(await client.DeleteAsync("api/onboarding/api-keys/openai"));
        fixture.Storage.Heal();

        Assert.Equal(before, await CaptureAsync(subject, exact: false));
        var keys = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****mnop", keys["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_erase_that_fails_midway_answers_503_and_completes_when_retried()
    {
        var (client, subject) = await UserWithProgressAsync();

        fixture.Storage.Fail(StorageFaultProxy.IsTransaction, StorageFault.ServiceUnavailable);
        await ExpectUnavailableAsync(await client.DeleteAsync("api/me"));
        fixture.Storage.Heal();

        await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        var userKey = Core.Identity.CurrentUser.DeriveUserKey(fixture.Issuer.Authority, subject);
        Assert.Empty(await PartitionDump.RowsAsync(fixture.Azurite, userKey));
        Assert.Empty(await UserState.SecretRowsAsync(fixture.Azurite, userKey));
    }

    [Fact]
    public async Task Retries_are_bounded_so_a_storage_outage_answers_503_after_four_attempts()
    {
        var (client, _) = NewUser();
        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);

        fixture.Storage.Fail(StorageFaultProxy.Any, StorageFault.ServiceUnavailable);
        await ExpectUnavailableAsync(await client.GetAsync("api/onboarding/init"));
        var attempts = fixture.Storage.Failures;
        fixture.Storage.Heal();

        // One read, tried once and retried three times by Core's client, then given up.
        Assert.Equal(4, attempts);
    }

    public void Dispose()
    {
        fixture.Storage.Heal();
        GC.SuppressFinalize(this);
    }

    internal static async Task ExpectUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.EndsWith("/dependency-unavailable", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 300 }, $"Retry-After must be 1 to 300 seconds, was '{response.Headers.RetryAfter}'.");
    }

    private (HttpClient Client, string Subject) NewUser()
    {
        var subject = ApiFixture.NewSubject("fault");
        return (fixture.Host.WithToken(fixture.Issuer.Mint(subject)), subject);
    }

    /// <summary>A user with step 1 completed (an OpenAI key stored), step 2 completed and a draft of step 3.</summary>
    private async Task<(HttpClient Client, string Subject)> UserWithProgressAsync()
    {
        var (client, subject) = NewUser();
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/3", new { researchSummary = "draft" })).ExpectAsync(HttpStatusCode.OK);
        return (client, subject);
    }

    private Task<string> CaptureAsync(string subject, bool exact = true)
        => UserState.CaptureAsync(fixture.Azurite, fixture.Host, fixture.Issuer.Authority, subject, exact);
}

public sealed class StorageFaultTestsOnServer(ServerFaultFixture fixture) : StorageFaultTests(fixture), IClassFixture<ServerFaultFixture>;

public sealed class StorageFaultTestsOnFunctions(FunctionsFaultFixture fixture) : StorageFaultTests(fixture), IClassFixture<FunctionsFaultFixture>;

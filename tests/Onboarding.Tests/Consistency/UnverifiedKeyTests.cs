using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// An erasure whose secrets are gone but whose rows could not be deleted leaves keys listed without secrets: those do
/// not satisfy step 1's required provider (OpenAI here), and the user's next key operation removes them.
/// </summary>
public sealed class UnverifiedKeyTests(TwoVaultInstances api) : IClassFixture<TwoVaultInstances>
{
    [Fact]
    public async Task A_listed_key_whose_secret_an_interrupted_erasure_deleted_never_satisfies_the_required_provider()
    {
        var user = api.NewUser();
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() })).ExpectAsync(HttpStatusCode.OK);

        // Every attempt of the erasure's row transaction fails, after the secret is deleted.
        api.Table.Fail(r => r.Touches(user.UserKey) && r.IsTransaction, times: 3, afterLanding: false);
        await (await user.Clients[0].DeleteAsync("api/me")).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        api.Table.Clear();
        Assert.Null(api.Vault.Find(user.SecretName("openai")));

        var completed = await user.Clients[1].PostJsonAsync("api/onboarding/step/1/complete", new { data = new { } });
        var problem = await completed.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["api_keys.openai"], problem.ErrorFields());

        // The next key operation reconciles: the row of the missing secret goes.
        await (await user.Clients[1].DeleteAsync("api/onboarding/api-keys/tavily")).ExpectAsync(HttpStatusCode.NoContent);
        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Empty(state.Index);
        Assert.Empty(state.Pending);
    }
}

using System.CommandLine;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Onboarding.Core;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Legacy;
using Onboarding.Migrate.Migration;
using Onboarding.Migrate.Output;
using Onboarding.Migrate.Users;

namespace Onboarding.Migrate;

/// <summary>
/// <c>Onboarding.Migrate --source &lt;file|folder&gt; --user-map &lt;csv|json&gt; [--issuer URL] [--dry-run] [--json]</c>:
/// imports legacy onboarding progress files into the service's table and secret store, through Core's own services
/// and configuration (<c>Storage:*</c>, <c>Secrets:*</c>, from environment variables such as
/// <c>Storage__ConnectionString</c>, or the options below).
/// </summary>
internal static class MigrateCli
{
    private const string EnvironmentVariable = "DOTNET_ENVIRONMENT";

    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = Create(context).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}");
            }

            await context.Error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.InvalidInput;
        }

        // On Ctrl+C the user being written is finished (its write is one transaction) and the rest are left out.
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand Create(CliContext context)
    {
        var source = new Option<string>("--source")
        {
            Description = "A legacy progress file, or a folder holding .onboarding_progress.json / .onboarding_progress_{user}.json files.",
            Required = true,
        };
        var userMap = new Option<string>("--user-map")
        {
            Description = "CSV (header legacy_id,issuer,subject) or JSON mapping each legacy user id to the issuer and subject of the user's tokens.",
            Required = true,
        };
        var issuer = new Option<string?>("--issuer")
        {
            Description = "Issuer for map entries that give only a subject: exactly the service's Auth:Authority (the tokens' 'iss').",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check everything and report what would happen; write nothing." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout, for scripts." };
        var connectionString = new Option<string?>("--storage-connection-string")
        {
            Description = "Storage:ConnectionString (Azurite, development). Prefer the environment variable Storage__ConnectionString.",
        };
        var tableServiceUri = new Option<string?>("--table-service-uri") { Description = "Storage:TableServiceUri, used with DefaultAzureCredential." };
        var tableName = new Option<string?>("--table-name") { Description = "Storage:TableName (default onboarding)." };
        var vaultUri = new Option<string?>("--vault-uri") { Description = "Secrets:VaultUri: keep the keys in this Azure Key Vault." };

        var root = new RootCommand(
            "Imports legacy onboarding progress (.onboarding_progress*.json, with plaintext API keys) into the onboarding service: " +
            "progress and steps to Table Storage, keys to the secret store. Settings come from environment variables " +
            "(Storage__ConnectionString, Storage__TableServiceUri, Secrets__VaultUri, Secrets__LocalEncryptionKey) and the options below. " +
            "The environment is Development unless DOTNET_ENVIRONMENT says otherwise. " +
            "Exit codes: 0 all migrated, 1 something skipped or in conflict, 2 invalid input, 3 configuration or storage unavailable.");
        foreach (var option in new Option[] { source, userMap, issuer, dryRun, json, connectionString, tableServiceUri, tableName, vaultUri })
        {
            root.Options.Add(option);
        }

        root.SetAction((parse, cancellationToken) =>
        {
            var options = new MigrateOptions(
                parse.GetRequiredValue(source),
                parse.GetRequiredValue(userMap),
                parse.GetValue(issuer),
                parse.GetValue(dryRun),
                parse.GetValue(json),
                parse.GetValue(connectionString),
                parse.GetValue(tableServiceUri),
                parse.GetValue(tableName),
                parse.GetValue(vaultUri));
            return RunAsync(options, context, cancellationToken);
        });
        return root;
    }

    private static async Task<int> RunAsync(MigrateOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var error = context.Error;
        var environmentName = context.Environment.GetValueOrDefault(EnvironmentVariable) is { Length: > 0 } configured ? configured : Environments.Development;
        await error.WriteLineAsync(context.Environment.ContainsKey(EnvironmentVariable)
            ? $"Environment: {environmentName} (from {EnvironmentVariable})."
            : $"Environment: {environmentName} ({EnvironmentVariable} is not set). The local secret store is refused in Production; set Secrets__VaultUri there.");

        // Input first: a bad map or source stops the run before storage is touched.
        if (InputProblem(options) is { } inputProblem)
        {
            await error.WriteLineAsync($"error: {inputProblem}");
            return ExitCodes.InvalidInput;
        }

        UserMap map;
        IReadOnlyList<string> files;
        try
        {
            map = UserMap.Load(options.UserMap, options.Issuer);
            files = LegacyFiles.Find(options.Source);
        }
        catch (UserMapException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (FileNotFoundException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        var legacyFiles = files.Select(LegacyReader.Read).ToArray();

        using var host = MigrationHost.Build(options, context, environmentName);
        string secretStore;
        try
        {
            await host.StartAsync(cancellationToken);
            host.Services.GetRequiredService<ISecretStore>();
            var secrets = host.Services.GetRequiredService<IOptions<SecretsOptions>>().Value;
            secretStore = secrets.VaultUri is { } vault ? $"Azure Key Vault {vault.Host}" : $"local encrypted store (table {secrets.LocalTableName})";
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"error: the configuration is invalid: {string.Join(" ", ex.Failures)}");
            return ExitCodes.Unavailable;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
            await error.WriteLineAsync($"error: the configuration is invalid: {string.Join(" ", failures)}");
            return ExitCodes.Unavailable;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Unavailable;
        }

        if (await MigrationHost.ReadinessProblemAsync(host.Services, options.DryRun, cancellationToken) is { } unavailable)
        {
            await error.WriteLineAsync($"error: {unavailable}");
            return ExitCodes.Unavailable;
        }

        var time = host.Services.GetRequiredService<TimeProvider>();
        var (fileReports, users) = MigrationPlanner.Plan(legacyFiles, map, time.GetUtcNow());
        var runner = host.Services.GetRequiredService<MigrationRunner>();
        var cancelled = await MigrationProgress.RunAsync(context.ErrorIsTerminal ? Consoles.For(error, terminal: true) : null, users.Count,
            advanced => runner.RunAsync(users, options.DryRun, advanced, cancellationToken));

        var report = new MigrationReport
        {
            DryRun = options.DryRun,
            Environment = environmentName,
            SecretStore = secretStore,
            Files = fileReports,
            Users = users.Select(u => u.Report).ToArray(),
        };
        if (options.Json)
        {
            ReportWriter.WriteJson(report, context.Out);
        }
        else
        {
            ReportWriter.WriteText(report, context.Out, Consoles.For(context.Out, context.OutIsTerminal));
        }

        await host.StopAsync(CancellationToken.None);
        return cancelled ? ExitCodes.Cancelled : report.ExitCode;
    }

    private static string? InputProblem(MigrateOptions options)
    {
        if (options.Issuer is { } issuer && UserMap.IssuerProblem(issuer) is { } issuerProblem)
        {
            return $"--issuer: {issuerProblem}";
        }

        foreach (var (name, value) in new[] { ("--table-service-uri", options.TableServiceUri), ("--vault-uri", options.VaultUri) })
        {
            if (value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                return $"{name} must be an absolute https URL.";
            }
        }

        return File.Exists(options.UserMap) ? null : $"The user map '{options.UserMap}' does not exist.";
    }
}

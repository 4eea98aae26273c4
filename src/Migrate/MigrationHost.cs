using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Onboarding.Core;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Hosting;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Migration;
using Onboarding.Migrate.Output;

namespace Onboarding.Migrate;

/// <summary>The tool's host: Core's own services and configuration, and the check that storage answers before anything is read.</summary>
internal static class MigrationHost
{
    public static IHost Build(MigrateOptions options, CliContext context, string environmentName)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environmentName,
            ApplicationName = "Onboarding.Migrate",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(Settings(options, context.Environment));
        builder.Services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Warning);

            // A host that fails to start is reported once, as a configuration error, not also as a log line.
            logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            logging.AddProvider(new TextWriterLoggerProvider(context.Error, LogLevel.Warning));
        });
        builder.Services.AddOnboardingAzureClients();
        builder.Services.AddOnboardingCore(builder.Configuration);
        builder.Services.AddSingleton<UserMigrator>();
        builder.Services.AddSingleton<MigrationRunner>();
        return builder.Build();
    }

    /// <summary>
    /// The app's configuration keys, from environment variables (<c>Storage__ConnectionString</c> is
    /// <c>Storage:ConnectionString</c>, as in the hosts), then the command-line options, which win.
    /// </summary>
    private static Dictionary<string, string?> Settings(MigrateOptions options, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            settings[name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
        }

        void Set(string key, string? value)
        {
            if (value is not null)
            {
                settings[key] = value;
            }
        }

        Set($"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}", options.ConnectionString);
        if (options.TableServiceUri is not null)
        {
            // The connection string would win over the URI: an explicit URI means "not that one".
            settings[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"] = options.ConnectionString ?? string.Empty;
            Set($"{StorageOptions.SectionName}:{nameof(StorageOptions.TableServiceUri)}", options.TableServiceUri);
        }

        Set($"{StorageOptions.SectionName}:{nameof(StorageOptions.TableName)}", options.TableName);
        Set($"{SecretsOptions.SectionName}:{nameof(SecretsOptions.VaultUri)}", options.VaultUri);
        if (options.DryRun)
        {
            // A dry run writes nothing, not even an empty table.
            settings[$"{StorageOptions.SectionName}:{nameof(StorageOptions.CreateTableIfNotExists)}"] = "false";
        }

        return settings;
    }

    public static async Task<string?> ReadinessProblemAsync(IServiceProvider services, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<OnboardingTable>().CheckReadyAsync(cancellationToken);
            if (!dryRun)
            {
                await services.GetRequiredService<ISecretStore>().CheckReadyAsync(cancellationToken);
            }

            return null;
        }
        catch (RequestFailedException ex) when (dryRun && ex.Status == 404)
        {
            return null;
        }
        catch (DependencyUnavailableException ex)
        {
            return $"{ex.Message} Check Storage__ConnectionString / Storage__TableServiceUri and Secrets__VaultUri.";
        }
        catch (RequestFailedException ex)
        {
            return $"Storage or the secret store refused the request ({ex.Status} {ex.ErrorCode}). Check the settings and this identity's access.";
        }
    }
}

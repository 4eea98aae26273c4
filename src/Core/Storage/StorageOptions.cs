using System.ComponentModel.DataAnnotations;

namespace Onboarding.Core.Storage;

/// <summary>Where the onboarding table lives. Exactly one of the connection string or the service URI is used.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Connection string (Azurite or local development). Never an account key in Azure.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table service endpoint, e.g. https://account.table.core.windows.net, used with managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = "onboarding";

    /// <summary>Create the table on first use (off in Azure, where the deployment creates it).</summary>
    public bool CreateTableIfNotExists { get; set; } = true;
}

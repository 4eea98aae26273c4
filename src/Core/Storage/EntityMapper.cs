using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Storage;

/// <summary>Turns the partition's rows into the model and back. Row keys: progress, step-{n}, apikey-{provider}.</summary>
internal static partial class EntityMapper
{
    public const string ProgressRow = "progress";
    public const string StepRowPrefix = "step-";
    public const string ApiKeyRowPrefix = "apikey-";

    public const int SchemaVersion = 1;

    /// <summary>A string property holds at most 64 KiB of UTF-16: 32,768 characters. Parts stay below that.</summary>
    public const int MaxCharsPerProperty = 32_000;

    /// <summary>Keeps a step row well under the 1 MiB entity limit (2 bytes a character plus overhead).</summary>
    public const int MaxStepDataChars = 400_000;

    /// <summary>The progress row's per-step columns (Step1Status, ..., Step6UpdatedAt), named once rather than on every row.</summary>
    private static readonly string[] StatusColumns = StepColumns("Status");
    private static readonly string[] CompletedAtColumns = StepColumns("CompletedAt");
    private static readonly string[] UpdatedAtColumns = StepColumns("UpdatedAt");

    /// <summary>Invalid UTF-16 is an error, as it is when System.Text.Json parses a string.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string StepRow(int number) => StepRowPrefix + number.ToString(CultureInfo.InvariantCulture);

    public static string ApiKeyRow(string provider) => ApiKeyRowPrefix + provider;

    private static string[] StepColumns(string column)
        => Enumerable.Range(1, StepCatalog.Count).Select(n => string.Create(CultureInfo.InvariantCulture, $"Step{n}{column}")).ToArray();

    public static UserSnapshot ToSnapshot(IEnumerable<TableEntity> rows)
    {
        var progress = ProgressState.Fresh;
        string? progressETag = null;
        var steps = new Dictionary<int, StepData>();
        var keys = new List<ApiKeyEntry>();
        IReadOnlyList<string> unverified = [];
        MigrationMarker? migration = null;
        string? migrationStamp = null;
        foreach (var row in rows)
        {
            if (row.RowKey == MigrationRow)
            {
                migration = ToMigration(row);
            }
            else if (row.RowKey == KeyLease.Row)
            {
                // Pending providers of a lease that is held and current are in flight (their holder finishes or
                // compensates); those of a released or expired one were left behind by a failure.
                var free = string.IsNullOrEmpty(row.GetString("Owner")) || (row.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue) <= DateTimeOffset.UtcNow;
                unverified = free ? KeyLease.ParsePending(row.GetString("Pending")) : [];
            }
            else if (row.RowKey == ProgressRow)
            {
                progress = ToProgress(row);
                progressETag = row.ETag.ToString();
                migrationStamp = MigrationStampOf(row);
            }
            else if (row.RowKey.StartsWith(StepRowPrefix, StringComparison.Ordinal)
                     && StepCatalog.TryParse(row.RowKey[StepRowPrefix.Length..], out var number))
            {
                steps[number] = ToStep(number, row);
            }
            else if (row.RowKey.StartsWith(ApiKeyRowPrefix, StringComparison.Ordinal))
            {
                keys.Add(new ApiKeyEntry(
                    row.GetString("Provider"),
                    row.GetString("SecretName"),
                    row.GetString("Hint"),
                    row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
                    row.GetString("Description")));
            }
        }

        return new UserSnapshot(progress, progressETag, steps, keys)
        {
            UnverifiedProviders = unverified,
            Migration = migration,
            UntouchedSinceMigration = migration is not null && migrationStamp is not null && migrationStamp == migration.SourceHash,
        };
    }

    /// <summary>
    /// The partition after a transaction: the state read before it, minus the rows deleted, with the rows written
    /// (carrying their new ETags) parsed exactly as <see cref="ToSnapshot"/> parses rows that are read.
    /// </summary>
    public static UserSnapshot AfterTransaction(UserSnapshot before, IEnumerable<TableEntity> written, IEnumerable<string> deletedRowKeys)
    {
        var rows = written.ToList();
        var changed = ToSnapshot(rows);
        var replaced = rows.Select(r => r.RowKey).Concat(deletedRowKeys).ToHashSet(StringComparer.Ordinal);
        var progressWritten = replaced.Contains(ProgressRow);

        var steps = before.Steps.Where(s => !replaced.Contains(StepRow(s.Key))).ToDictionary(s => s.Key, s => s.Value);
        foreach (var (number, step) in changed.Steps)
        {
            steps[number] = step;
        }

        // A read returns rows in RowKey order, so the keys come back ordered by provider.
        var keys = before.ApiKeys.Where(k => !replaced.Contains(ApiKeyRow(k.Provider)))
            .Concat(changed.ApiKeys)
            .OrderBy(k => k.Provider, StringComparer.Ordinal)
            .ToList();

        return new UserSnapshot(
            progressWritten ? changed.Progress : before.Progress,
            progressWritten ? changed.ProgressETag : before.ProgressETag,
            steps,
            keys)
        {
            UnverifiedProviders = before.UnverifiedProviders,
            Migration = changed.Migration ?? before.Migration,
            UntouchedSinceMigration = progressWritten ? changed.UntouchedSinceMigration : before.UntouchedSinceMigration,
        };
    }

    /// <summary>
    /// The progress row. Times not set yet are left out rather than sent as nulls: the table stores no null property
    /// either way (a replace drops what it is not given), so this only saves bytes on every write.
    /// </summary>
    public static TableEntity FromProgress(string userKey, ProgressState progress, MigrationMarker? migration = null)
    {
        var entity = new TableEntity(userKey, ProgressRow)
        {
            ["SchemaVersion"] = SchemaVersion,
            ["CurrentStep"] = progress.CurrentStep,
        };
        Stamp(entity, migration);

        SetIfKnown(entity, "StartedAt", progress.StartedAt);
        SetIfKnown(entity, "UpdatedAt", progress.UpdatedAt);
        SetIfKnown(entity, "CompletedAt", progress.CompletedAt);
        foreach (var step in progress.Steps)
        {
            entity[StatusColumns[step.Number - 1]] = step.Status.ToString();
            SetIfKnown(entity, CompletedAtColumns[step.Number - 1], step.CompletedAt);
            SetIfKnown(entity, UpdatedAtColumns[step.Number - 1], step.UpdatedAt);
        }

        return entity;
    }

    private static void SetIfKnown(TableEntity entity, string name, DateTimeOffset? value)
    {
        if (value is { } known)
        {
            entity[name] = known;
        }
    }

    public static TableEntity FromStep(string userKey, int number, string json, DateTimeOffset now)
    {
        var entity = new TableEntity(userKey, StepRow(number))
        {
            ["SchemaVersion"] = SchemaVersion,
            ["UpdatedAt"] = now,
        };
        var parts = 0;
        for (var offset = 0; offset < json.Length; offset += MaxCharsPerProperty)
        {
            entity[$"Data{parts++}"] = json.Substring(offset, Math.Min(MaxCharsPerProperty, json.Length - offset));
        }

        entity["DataParts"] = parts;
        return entity;
    }

    public static TableEntity FromApiKey(string userKey, ApiKeyEntry key) => new(userKey, ApiKeyRow(key.Provider))
    {
        ["Provider"] = key.Provider,
        ["SecretName"] = key.SecretName,
        ["Hint"] = key.Hint,
        ["UpdatedAt"] = key.UpdatedAt,
        ["Description"] = key.Description,
    };

    private static ProgressState ToProgress(TableEntity row)
    {
        var steps = StepCatalog.Steps.Select(s => new StepProgress(
            s.Number,
            Enum.TryParse<StepStatus>(row.GetString(StatusColumns[s.Number - 1]), out var status) ? status : StepStatus.Pending,
            row.GetDateTimeOffset(CompletedAtColumns[s.Number - 1]),
            row.GetDateTimeOffset(UpdatedAtColumns[s.Number - 1]))).ToArray();
        return new ProgressState(steps, row.GetDateTimeOffset("StartedAt"), row.GetDateTimeOffset("UpdatedAt"), row.GetDateTimeOffset("CompletedAt"));
    }

    private static StepData ToStep(int number, TableEntity row)
    {
        var parts = row.GetInt32("DataParts") ?? 0;
        return new StepData(number, () => ParseData(row, parts), row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue, row.ETag.ToString());
    }

    private static JsonObject ParseData(TableEntity row, int parts)
    {
        var data = parts switch
        {
            <= 0 => null,
            1 => row.GetString("Data0") is { Length: > 0 } json ? JsonNode.Parse(json) : null,
            _ => ParseParts(row, parts),
        };
        return data as JsonObject ?? [];
    }

    /// <summary>
    /// Parses JSON stored over several properties without joining them into one string first: each part is encoded
    /// into one pooled UTF-8 buffer (the encoder carries a surrogate pair split between two parts) and parsed from there.
    /// </summary>
    private static JsonNode? ParseParts(TableEntity row, int parts)
    {
        var texts = new string[parts];
        var chars = 0;
        for (var i = 0; i < parts; i++)
        {
            texts[i] = row.GetString($"Data{i}") ?? string.Empty;
            chars += texts[i].Length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(chars));
        try
        {
            var encoder = StrictUtf8.GetEncoder();
            var written = 0;
            for (var i = 0; i < parts; i++)
            {
                written += encoder.GetBytes(texts[i], buffer.AsSpan(written), flush: i == parts - 1);
            }

            return written == 0 ? null : JsonNode.Parse(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string Serialize(JsonObject data) => data.ToJsonString(JsonSerializerOptions.Default);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Onboarding.Migrate.Migration;

namespace Onboarding.Migrate.Legacy;

/// <summary>A legacy file as read: its users' records, and the problems that keep it or some of its users out.</summary>
/// <param name="Unreadable">The file as a whole could not be used (not JSON, not an object): none of its users is known.</param>
/// <param name="Invalid">Users the file names whose entry is not a record at all.</param>
internal sealed record LegacyFile(
    string File,
    IReadOnlyList<LegacyRecord> Records,
    IReadOnlyList<(string LegacyId, MigrationProblem Problem)> Invalid,
    MigrationProblem? Unreadable);

/// <summary>
/// Reads a legacy file in either shape: one user's record (the legacy app's own files; the user is the file name's
/// suffix, else "1", the id the legacy app hard-coded), or an object whose properties are legacy user ids and whose
/// values are records. A root object with any of the record's own properties is one record.
/// </summary>
internal static class LegacyReader
{
    /// <summary>The legacy app's single user, whose id it hard-coded.</summary>
    public const string DefaultLegacyId = "1";

    private static readonly string[] RecordProperties = ["steps", "current_step", "started_at", "last_updated", "is_completed", "completed_at", "api_keys"];

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static LegacyFile Read(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Unreadable(file, new MigrationProblem(file, null, null, null, $"Could not read the file: {ex.Message}"));
        }

        var utf8 = bytes.AsMemory();
        if (utf8.Span.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8.Span, documentOptions: Strict);
        }
        catch (JsonException ex) when (ex.LineNumber is null && DuplicateProperties.Find(utf8.Span) is { } duplicate)
        {
            return Unreadable(file, new MigrationProblem(file, null, duplicate.Line, duplicate.BytePosition,
                $"Not valid JSON: the property {duplicate.Path} appears twice in one object."));
        }
        catch (JsonException ex)
        {
            // The parser's line and byte are 0-based; people count from 1. Its message names them again, so only
            // the first sentence is kept.
            var message = ex.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd();
            return Unreadable(file, new MigrationProblem(file, null, ex.LineNumber + 1, ex.BytePositionInLine + 1, $"Not valid JSON: {message}"));
        }

        if (root is not JsonObject obj)
        {
            return Unreadable(file, MigrationProblem.At(file, JsonPaths.Root,
                "The file must hold a JSON object: one user's record, or an object of legacy user ids to records."));
        }

        if (obj.Any(p => RecordProperties.Contains(p.Key, StringComparer.Ordinal)))
        {
            var id = LegacyFiles.UserFromFileName(file) ?? DefaultLegacyId;
            return new LegacyFile(file, [new LegacyRecord(file, id, JsonPaths.Root, obj)], [], null);
        }

        var records = new List<LegacyRecord>();
        var invalid = new List<(string, MigrationProblem)>();
        foreach (var (id, value) in obj)
        {
            var path = JsonPaths.Property(JsonPaths.Root, id);
            if (string.IsNullOrWhiteSpace(id))
            {
                invalid.Add((id, MigrationProblem.At(file, path, "A legacy user id must not be empty.")));
            }
            else if (value is JsonObject record)
            {
                records.Add(new LegacyRecord(file, id, path, record));
            }
            else
            {
                invalid.Add((id, MigrationProblem.At(file, path, "A user's entry must be a progress record (a JSON object).")));
            }
        }

        return new LegacyFile(file, records, invalid, null);
    }

    private static LegacyFile Unreadable(string file, MigrationProblem problem) => new(file, [], [], problem);
}

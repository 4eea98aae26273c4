using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Onboarding.Core.Identity;
using Onboarding.Migrate.Legacy;

namespace Onboarding.Migrate.Users;

/// <summary>The identity a legacy user gets in the new service: the token issuer and subject that will name them.</summary>
internal sealed record MappedUser(string LegacyId, string Issuer, string Subject)
{
    public string UserKey { get; } = CurrentUser.DeriveUserKey(Issuer, Subject);

    public CurrentUser ToCurrentUser() => CurrentUser.Create(Issuer, Subject);
}

/// <summary>The user map could not be used; the message says where.</summary>
internal sealed class UserMapException : Exception
{
    public UserMapException()
        : base("The user map is invalid.")
    {
    }

    public UserMapException(string message)
        : base(message)
    {
    }

    public UserMapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Legacy user id → (issuer, subject). CSV with a header naming <c>legacy_id</c>, <c>subject</c> and optionally
/// <c>issuer</c>; or JSON, either an array of <c>{"legacy_id", "issuer", "subject"}</c> or an object of legacy ids to
/// <c>{"issuer", "subject"}</c> or to a subject string. A missing issuer is the default issuer (<c>--issuer</c>).
/// The map is used whole or not at all: any invalid entry stops the run before anything is written.
/// </summary>
internal sealed class UserMap
{
    private readonly Dictionary<string, MappedUser> _users;

    private UserMap(Dictionary<string, MappedUser> users) => _users = users;

    public int Count => _users.Count;

    public MappedUser? Find(string legacyId) => _users.GetValueOrDefault(legacyId.Trim());

    public static UserMap Load(string path, string? defaultIssuer)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserMapException($"Could not read the user map '{path}': {ex.Message}");
        }

        var builder = new Builder(path, defaultIssuer);
        var extension = Path.GetExtension(path);
        var start = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var json = extension.Equals(".json", StringComparison.OrdinalIgnoreCase)
            || (!extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) && (start.StartsWith('[') || start.StartsWith('{')));
        if (json)
        {
            ReadJson(text, builder);
        }
        else
        {
            ReadCsv(text, builder);
        }

        return new UserMap(builder.Users);
    }

    private static void ReadJson(string text, Builder builder)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new UserMapException(string.Create(CultureInfo.InvariantCulture,
                $"{builder.File} line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: not valid JSON."));
        }

        switch (root)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var path = JsonPaths.Index(JsonPaths.Root, i);
                    if (array[i] is not JsonObject entry)
                    {
                        throw builder.Error(path, "Each entry must be an object with legacy_id, issuer and subject.");
                    }

                    builder.Add(path, Text(entry["legacy_id"], JsonPaths.Property(path, "legacy_id"), builder, allowNumber: true),
                        Text(entry["issuer"], JsonPaths.Property(path, "issuer"), builder),
                        Text(entry["subject"], JsonPaths.Property(path, "subject"), builder));
                }

                break;
            case JsonObject map:
                foreach (var (id, value) in map)
                {
                    var path = JsonPaths.Property(JsonPaths.Root, id);
                    switch (value)
                    {
                        case JsonObject entry:
                            builder.Add(path, id, Text(entry["issuer"], JsonPaths.Property(path, "issuer"), builder),
                                Text(entry["subject"], JsonPaths.Property(path, "subject"), builder));
                            break;
                        case JsonValue when value.GetValueKind() == JsonValueKind.String:
                            builder.Add(path, id, null, value.GetValue<string>());
                            break;
                        default:
                            throw builder.Error(path, "Map a legacy id to a subject string or to {\"issuer\", \"subject\"}.");
                    }
                }

                break;
            default:
                throw builder.Error(JsonPaths.Root, "A JSON user map is an array of entries or an object keyed by legacy id.");
        }
    }

    private static string? Text(JsonNode? node, string path, Builder builder, bool allowNumber = false) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number when allowNumber => node.ToJsonString(),
        _ => throw builder.Error(path, allowNumber ? "Must be a string or a number." : "Must be a string."),
    };

    private static void ReadCsv(string text, Builder builder)
    {
        List<(int Line, string[] Fields)> lines;
        try
        {
            lines = ReadCsvLines(text);
        }
        catch (CsvFormatException ex)
        {
            throw new UserMapException($"{builder.File}: not valid CSV: {ex.Message}");
        }

        if (lines.Count == 0)
        {
            throw new UserMapException($"{builder.File}: the CSV user map is empty; its first line must be a header such as legacy_id,issuer,subject.");
        }

        var header = lines[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var id = header.IndexOf("legacy_id");
        var issuer = header.IndexOf("issuer");
        var subject = header.IndexOf("subject");
        if (id < 0 || subject < 0)
        {
            throw new UserMapException(string.Create(CultureInfo.InvariantCulture,
                $"{builder.File} line {lines[0].Line}: the header must name the columns legacy_id and subject (and optionally issuer)."));
        }

        foreach (var (line, fields) in lines.Skip(1))
        {
            if (fields.All(f => f.Trim().Length == 0))
            {
                continue;
            }

            string? Field(int index) => index >= 0 && index < fields.Length ? fields[index].Trim() : null;
            builder.Add(string.Create(CultureInfo.InvariantCulture, $"line {line}"), Field(id), Field(issuer), Field(subject));
        }
    }

    /// <summary>RFC 4180 records (CsvHelper), comma-separated, each with the line it starts on (1-based).</summary>
    private static List<(int Line, string[] Fields)> ReadCsvLines(string text)
    {
        using var reader = CsvReader.FromText(text, new CsvReaderOptions { HasHeader = false, Separator = ',', TrackLineNumbers = true, IncludeValuesInExceptions = false });
        var lines = new List<(int Line, string[] Fields)>();
        while (reader.Read())
        {
            lines.Add(((int)reader.LineNumber, Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray()));
        }

        return lines;
    }

    private sealed class Builder(string file, string? defaultIssuer)
    {
        public string File { get; } = file;

        public Dictionary<string, MappedUser> Users { get; } = new(StringComparer.Ordinal);

        public void Add(string where, string? legacyId, string? issuer, string? subject)
        {
            legacyId = legacyId?.Trim();
            if (string.IsNullOrEmpty(legacyId))
            {
                throw Error(where, "The legacy id is missing.");
            }

            issuer = string.IsNullOrWhiteSpace(issuer) ? defaultIssuer : issuer.Trim();
            if (string.IsNullOrEmpty(issuer))
            {
                throw Error(where, $"Legacy user '{legacyId}' has no issuer: give one in the map or with --issuer.");
            }

            if (IssuerProblem(issuer) is { } problem)
            {
                throw Error(where, problem);
            }

            subject = subject?.Trim();
            if (string.IsNullOrEmpty(subject) || subject.Any(char.IsControl))
            {
                throw Error(where, $"Legacy user '{legacyId}' needs a subject (the 'sub' the user's tokens carry).");
            }

            if (!Users.TryAdd(legacyId, new MappedUser(legacyId, issuer, subject)))
            {
                throw Error(where, $"Legacy user '{legacyId}' is mapped more than once.");
            }
        }

        public UserMapException Error(string where, string message) => new($"{File} {where}: {message}");
    }

    /// <summary>
    /// The issuer must be the service's <c>Auth:Authority</c> exactly (it is part of the user key): an absolute http(s)
    /// URL, checked here so a typo fails before anything is written rather than producing users nobody can sign in as.
    /// </summary>
    public static string? IssuerProblem(string issuer)
        => Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !issuer.Any(char.IsControl)
            ? null
            : $"The issuer '{issuer}' must be an absolute https URL, exactly as the tokens' 'iss' claim and the service's Auth:Authority spell it.";
}

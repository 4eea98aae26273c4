using System.Text;
using System.Text.Json;

namespace Onboarding.Migrate.Legacy;

/// <summary>
/// Finds the first repeated property name in a JSON document. System.Text.Json refuses duplicates (last-one-wins
/// would silently drop a user's record) but does not say where; this says where, as a path, a line and a byte.
/// </summary>
internal static class DuplicateProperties
{
    public static (string Path, long Line, long BytePosition)? Find(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var scopes = new Stack<(string Path, HashSet<string>? Names, int Index)>();
        var path = JsonPaths.Root;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        scopes.Push((ValuePath(scopes, path), new HashSet<string>(StringComparer.Ordinal), 0));
                        break;
                    case JsonTokenType.StartArray:
                        scopes.Push((ValuePath(scopes, path), null, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scopes.Pop();
                        Advance(scopes);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        var scope = scopes.Peek();
                        path = JsonPaths.Property(scope.Path, name);
                        if (!scope.Names!.Add(name))
                        {
                            return Locate(utf8, reader.TokenStartIndex, path);
                        }

                        break;
                    default:
                        Advance(scopes);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not well-formed: the parser's own error says where.
        }

        return null;
    }

    /// <summary>The path of the value about to start: a property's, or the next array element's.</summary>
    private static string ValuePath(Stack<(string Path, HashSet<string>? Names, int Index)> scopes, string propertyPath)
        => scopes.Count == 0 ? JsonPaths.Root
            : scopes.Peek().Names is null ? JsonPaths.Index(scopes.Peek().Path, scopes.Peek().Index)
            : propertyPath;

    private static void Advance(Stack<(string Path, HashSet<string>? Names, int Index)> scopes)
    {
        if (scopes.Count > 0 && scopes.Peek().Names is null)
        {
            var (path, names, index) = scopes.Pop();
            scopes.Push((path, names, index + 1));
        }
    }

    private static (string, long, long) Locate(ReadOnlySpan<byte> utf8, long index, string path)
    {
        var before = utf8[..(int)index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (path, line, index - lineStart + 1);
    }
}

using System.Text;

namespace Onboarding.Migrate.Users;

/// <summary>One CSV record and the line it starts on (1-based).</summary>
internal sealed record CsvLine(int Line, IReadOnlyList<string> Fields);

/// <summary>RFC 4180 CSV: comma-separated, fields optionally in double quotes with "" for a quote, CRLF or LF.</summary>
internal static class CsvReader
{
    public static IEnumerable<CsvLine> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return new CsvLine(start, fields);
                    fields = [];
                    start = ++line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvLine(start, fields);
        }
    }
}

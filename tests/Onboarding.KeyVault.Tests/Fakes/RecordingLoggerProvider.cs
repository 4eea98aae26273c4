using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Onboarding.Tests.Fakes;

/// <summary>An entry as a log sink would keep it: the rendered message, the structured values and the exception.</summary>
public sealed record RecordedLog(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
{
    /// <summary>Everything a sink could write: message, every structured value, and the whole exception chain.</summary>
    public string AllText =>
        string.Join('\n', [Message, .. State.Select(kv => $"{kv.Key}={kv.Value}"), Exception?.ToString() ?? ""]);
}

/// <summary>Keeps every log entry of every level, for tests that assert on what was (or was never) logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    /// <summary>An <see cref="ILogger{T}"/> that writes to this provider.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new SingleProviderFactory(this));

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            // Copied now: some states (ASP.NET Core's request logs) read a request that is gone by the time a test looks.
            IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];
            entries.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), values, exception));
        }
    }

    private sealed class SingleProviderFactory(ILoggerProvider inner) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

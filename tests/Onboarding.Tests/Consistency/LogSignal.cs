using Microsoft.Extensions.Logging;

namespace Onboarding.Tests.Consistency;

/// <summary>A logger provider that lets a test wait for a log message (by its text) instead of for time to pass.</summary>
public sealed class LogSignal : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    /// <summary>Completes when a message containing <paramref name="text"/> has been logged (before or after this call).</summary>
    public Task WhenLoggedAsync(string text)
    {
        lock (_gate)
        {
            if (_messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task;
        }
    }

    /// <summary>The messages logged so far that contain <paramref name="text"/>, oldest first.</summary>
    public IReadOnlyList<string> Messages(string text)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Contains(text, StringComparison.Ordinal))];
        }
    }

    /// <summary>Forgets what was logged so far, so the next wait sees only what comes after.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(string message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            foreach (var waiter in _waiters.Where(w => message.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }

    private sealed class Logger(LogSignal owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Add(formatter(state, exception));
    }
}

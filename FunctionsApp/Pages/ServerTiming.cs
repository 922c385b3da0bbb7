using System.Diagnostics;
using System.Globalization;

namespace ComponentCatalog.Pages;

/// <summary>
/// Where a page's time went, as a <c>Server-Timing</c> header (<c>document;dur=0.2, quality;dur=1.3, …</c>): each
/// <see cref="Mark"/> closes the step since the previous one. Browser dev tools show it; the bench reads it.
/// </summary>
internal sealed class ServerTiming
{
    private readonly List<string> _steps = [];
    private long _last = Stopwatch.GetTimestamp();

    public void Mark(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _steps.Add(step + ";dur=" + Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture));
        _last = now;
    }

    public override string ToString() => string.Join(", ", _steps);
}

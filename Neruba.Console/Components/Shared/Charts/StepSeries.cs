namespace Neruba.Console.Components.Shared.Charts;

/// <summary>A value that starts at an instant and holds until the next one (a balance after a movement, a month's usage).</summary>
public readonly record struct Step(DateTimeOffset At, double Value);

/// <summary>
/// Turns steps into the points of a line that reads as a step function on a time axis: a point where each step starts and one
/// just before the next starts, so the line is flat while the value holds and rises or drops straight up or down when it changes.
/// </summary>
public static class StepSeries
{
    /// <summary>How long before a change the held value is drawn: short enough to look vertical at any zoom the console shows.</summary>
    public static readonly TimeSpan JustBefore = TimeSpan.FromSeconds(1);

    /// <param name="steps">In time order.</param>
    /// <param name="until">The end of the last step (e.g. now, or the end of the last month); no point is drawn past it.</param>
    public static IReadOnlyList<Step> Points(IReadOnlyList<Step> steps, DateTimeOffset until)
    {
        var points = new List<Step>(steps.Count * 2 + 1);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            points.Add(step);
            var end = i + 1 < steps.Count ? steps[i + 1].At : until;
            // Two changes in the same second (or a step that ends where it starts) need no held point between them.
            if (end - step.At > JustBefore)
            {
                points.Add(new Step(i + 1 < steps.Count ? end - JustBefore : end, step.Value));
            }
        }

        return points;
    }

    /// <summary>Label spacing for the axis: about six labels across the range, at a round interval.</summary>
    public static TimeSpan LabelSpacing(DateTimeOffset first, DateTimeOffset last)
    {
        var wanted = (last - first) / 6;
        TimeSpan[] round = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1),
            TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromDays(91), TimeSpan.FromDays(365)];
        return round.FirstOrDefault(r => r >= wanted, round[^1]);
    }

    /// <summary>Labels say no more than the spacing needs: hours within days, days within months, months beyond.</summary>
    public static string LabelFormat(TimeSpan spacing) =>
        spacing >= TimeSpan.FromDays(30) ? "yyyy-MM" : spacing >= TimeSpan.FromDays(1) ? "MM-dd" : "MM-dd HH:mm";
}

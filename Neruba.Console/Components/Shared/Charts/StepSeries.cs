namespace Neruba.Console.Components.Shared.Charts;

/// <summary>A value that starts at an instant and holds until the next one (a balance after a movement, a month's usage).</summary>
public readonly record struct Step(DateTimeOffset At, double Value);

/// <summary>
/// Turns steps into the points of a line that reads as a step function on a time axis: a point where each step starts and one
/// just before the next starts, so the line is flat while the value holds and rises or drops straight up or down when it changes.
/// </summary>
public static class StepSeries
{
    /// <summary>How long before a change the held value is drawn: short enough to look vertical even over a minute.</summary>
    public static readonly TimeSpan JustBefore = TimeSpan.FromMilliseconds(1);

    private static readonly int[] RoundFactors = [1, 2, 5, 10];

    private static readonly TimeSpan[] RoundSpacings =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1),
        TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromDays(91), TimeSpan.FromDays(365),
    ];

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
            // Two changes in the same instant (or a step that ends where it starts) need no held point between them.
            if (end - step.At > JustBefore)
            {
                points.Add(new Step(i + 1 < steps.Count ? end - JustBefore : end, step.Value));
            }
        }

        return points;
    }

    /// <summary>Label spacing for the axis: six to eight labels across the range, at a round interval.</summary>
    public static TimeSpan LabelSpacing(DateTimeOffset first, DateTimeOffset last)
    {
        var wanted = (last - first) / 8;
        return RoundSpacings.FirstOrDefault(r => r >= wanted, RoundSpacings[^1]);
    }

    /// <summary>
    /// Labels name the day, or the hour within shorter ranges. Never just a month: evenly spaced labels fall on any day
    /// (30 days after 1 July is 31 July), and "2026-07" there would read as the start of the wrong month.
    /// </summary>
    public static string LabelFormat(TimeSpan spacing) => spacing >= TimeSpan.FromDays(1) ? "yyyy-MM-dd" : "MM-dd HH:mm";

    /// <summary>A round step between value lines (1, 2 or 5 times a power of ten) giving about five lines up to the largest value.</summary>
    public static int ValueSpacing(double largest)
    {
        var wanted = largest / 5;
        if (wanted <= 1)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(wanted)));
        var step = RoundFactors.Select(f => f * power).First(candidate => candidate >= wanted);
        return (int)Math.Min(step, int.MaxValue);
    }
}

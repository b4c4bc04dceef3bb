using System.Globalization;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;

namespace Neruba.Domain.Billing;

/// <summary>A plan version as rating needs it: identity for the invoice's explanations, and its terms.</summary>
public sealed record PlanVersionSnapshot(Guid Id, string PlanCode, string PlanName, int Number, PlanTerms Terms)
{
    public string Label => $"{PlanName} v{Number}";
}

/// <summary>A plan version in force from <see cref="From"/> (a UTC day start) until <see cref="To"/> (exclusive; none: open).</summary>
public sealed record SubscriptionPhase(PlanVersionSnapshot Version, DateTimeOffset From, DateTimeOffset? To);

/// <summary>A metric's aggregated usage during the part of the period that the phase starting at <see cref="PhaseFrom"/> covers.</summary>
public sealed record PhaseUsage(DateTimeOffset PhaseFrom, string MetricCode, decimal Quantity);

/// <summary>
/// Everything rating reads. <see cref="BaseFeeBilledForCurrentFeePeriod"/> is what other months' invoices already
/// charged for the fee period containing the period's start (none: nothing yet), and <see cref="BaseFeeBilledForNextFeePeriod"/>
/// the same for the fee period that starts when this month ends (billed when months are run out of order);
/// <see cref="Credits"/> are the wallet blocks of the plan's currency as they stood at the cutoff.
/// </summary>
public sealed record RatingInput(
    Guid SubscriptionId,
    Guid CustomerId,
    DateTimeOffset PeriodStart,
    DateTimeOffset BillingAnchor,
    IReadOnlyList<SubscriptionPhase> Phases,
    IReadOnlyList<PhaseUsage> Usage,
    long? BaseFeeBilledForCurrentFeePeriod,
    IReadOnlyList<BlockBalance> Credits,
    long? BaseFeeBilledForNextFeePeriod = null);

/// <summary>
/// Turns a subscription's period into an invoice draft. Pure: no clock, no random ids, every collection
/// iterated in a fixed order, so the same input gives a byte-identical draft.
/// </summary>
public static class Rater
{
    public static InvoiceDraft Rate(RatingInput input)
    {
        var month = BillingCalendar.Month(input.PeriodStart);
        var phases = CheckPhases(input.Phases);
        var terms = phases[0].Version.Terms;
        var currency = Currency.Of(terms.Currency);
        var lines = new List<InvoiceLine>();

        lines.AddRange(BaseFeeLines(input, month, phases, terms, currency));
        var usageLines = UsageLines(input, month, phases, currency);
        lines.AddRange(usageLines);
        if (MinimumTopUp(month, phases, usageLines, currency) is { } topUp)
        {
            lines.Add(topUp);
        }

        var subtotal = lines.Aggregate(0L, (sum, line) => checked(sum + line.Amount));
        var credits = ApplyCredits(input.Credits, subtotal, month, currency);
        var applied = credits.Aggregate(0L, (sum, c) => checked(sum + c.Amount));
        return new InvoiceDraft(input.SubscriptionId, input.CustomerId, currency.Code, month.Start, month.End, lines, subtotal, credits, applied, subtotal - applied);
    }

    private static List<SubscriptionPhase> CheckPhases(IReadOnlyList<SubscriptionPhase> phases)
    {
        if (phases.Count == 0)
        {
            throw new ArgumentException("A subscription has at least one phase.", nameof(phases));
        }

        var ordered = phases.OrderBy(p => p.From).ToList();
        var first = ordered[0].Version.Terms;
        foreach (var phase in ordered)
        {
            var terms = phase.Version.Terms;
            if (terms.Currency != first.Currency || terms.Interval != first.Interval || terms.FeeTiming != first.FeeTiming)
            {
                throw new ArgumentException("Every phase of a subscription bills in one currency, interval and fee timing.", nameof(phases));
            }

            if (!BillingCalendar.IsDayStart(phase.From) || (phase.To is { } to && (!BillingCalendar.IsDayStart(to) || to <= phase.From)))
            {
                throw new ArgumentException("Phases start and end on whole UTC days, each after it starts.", nameof(phases));
            }
        }

        return ordered;
    }

    private static IEnumerable<InvoiceLine> BaseFeeLines(RatingInput input, DateSpan month, List<SubscriptionPhase> phases, PlanTerms terms, Currency currency)
    {
        if (phases.All(p => p.Version.Terms.BaseFee == 0))
        {
            yield break;
        }

        var current = BillingCalendar.FeePeriodContaining(terms.Interval, input.BillingAnchor, month.Start);
        var end = phases[^1].To;
        var endsThisMonth = end is { } e && e > month.Start && e <= month.End;
        var currentCloses = current.End == month.End || endsThisMonth;

        if (terms.FeeTiming == FeeTiming.InArrears)
        {
            if (currentCloses)
            {
                foreach (var line in FeeLines(phases, current, terms.Interval, currency, "in arrears"))
                {
                    yield return line;
                }
            }

            yield break;
        }

        if (input.BaseFeeBilledForCurrentFeePeriod is not { } billed)
        {
            foreach (var line in FeeLines(phases, current, terms.Interval, currency, "not billed in advance before"))
            {
                yield return line;
            }
        }
        else if (currentCloses)
        {
            var owed = FeeLines(phases, current, terms.Interval, currency, "").Sum(l => l.Amount);
            if (owed != billed)
            {
                var last = phases.Last(p => current.OverlapDays(p.From, p.To) > 0);
                yield return new InvoiceLine(InvoiceLineKind.BaseFeeAdjustment, $"Base fee adjustment, {current.Label(terms.Interval)}", last.Version.Id, null,
                    1, 0, null, null, null, current.Start, owed - billed,
                    $"{current.Label(terms.Interval)} now costs {new MoneyAmount(owed, currency)} by the plan versions in force; "
                    + $"{new MoneyAmount(billed, currency)} was billed in advance; difference {new MoneyAmount(owed - billed, currency)}");
            }
        }

        var next = BillingCalendar.FeePeriodContaining(terms.Interval, input.BillingAnchor, month.End);
        if (next.Start == month.End && input.BaseFeeBilledForNextFeePeriod is null && phases.Any(p => p.From <= next.Start && (p.To is null || p.To > next.Start)))
        {
            foreach (var line in FeeLines(phases, next, terms.Interval, currency, "in advance"))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<InvoiceLine> FeeLines(List<SubscriptionPhase> phases, DateSpan feePeriod, BillingInterval interval, Currency currency, string timing)
    {
        foreach (var phase in phases)
        {
            var days = feePeriod.OverlapDays(phase.From, phase.To);
            var fee = phase.Version.Terms.BaseFee;
            if (days == 0 || fee == 0)
            {
                continue;
            }

            var full = days == feePeriod.Days;
            var feeAmount = new MoneyAmount(fee, currency);
            var amount = MoneyAmount.FromDecimal(feeAmount.Major * days / feePeriod.Days, currency);
            var label = feePeriod.Label(interval);
            yield return new InvoiceLine(InvoiceLineKind.BaseFee, $"Base fee, {phase.Version.Label}, {label}{(timing.Length > 0 ? $" ({timing})" : "")}",
                phase.Version.Id, null, full ? 1 : decimal.Round((decimal)days / feePeriod.Days, 6), feeAmount.Major, null,
                full ? null : days, full ? null : feePeriod.Days, feePeriod.Start, amount.Minor,
                full ? $"{feeAmount} for {label}" : $"{feeAmount} x {days}/{feePeriod.Days} days of {label} = {amount}");
        }
    }

    private static List<InvoiceLine> UsageLines(RatingInput input, DateSpan month, List<SubscriptionPhase> phases, Currency currency)
    {
        var lines = new List<InvoiceLine>();
        foreach (var phase in phases)
        {
            var days = month.OverlapDays(phase.From, phase.To);
            if (days == 0)
            {
                continue;
            }

            var partial = days < month.Days;
            foreach (var charge in phase.Version.Terms.Charges.OrderBy(c => c.MetricCode, StringComparer.Ordinal))
            {
                var quantity = input.Usage.Where(u => u.PhaseFrom == phase.From && u.MetricCode == charge.MetricCode).Sum(u => u.Quantity);
                var included = partial ? decimal.Round(charge.IncludedQuantity * days / month.Days, 0, MidpointRounding.AwayFromZero) : charge.IncludedQuantity;
                var note = partial && charge.IncludedQuantity > 0
                    ? $"allowance {ChargeCalculator.Num(charge.IncludedQuantity)} x {days}/{month.Days} days = {ChargeCalculator.Num(included)}; "
                    : "";
                foreach (var piece in ChargeCalculator.Price(charge, quantity, included, currency))
                {
                    lines.Add(new InvoiceLine(InvoiceLineKind.Usage, $"{charge.MetricCode}, {phase.Version.Label}{(partial ? $" ({days} of {month.Days} days)" : "")}",
                        phase.Version.Id, charge.MetricCode, piece.Quantity, piece.UnitPrice, piece.Tier,
                        partial ? days : null, partial ? month.Days : null, null, piece.Amount, note + piece.Explanation));
                }
            }
        }

        return lines;
    }

    private static InvoiceLine? MinimumTopUp(DateSpan month, List<SubscriptionPhase> phases, List<InvoiceLine> usageLines, Currency currency)
    {
        long minimum = 0;
        SubscriptionPhase? last = null;
        foreach (var phase in phases)
        {
            var days = month.OverlapDays(phase.From, phase.To);
            if (days == 0 || phase.Version.Terms.MinimumCommitment == 0)
            {
                continue;
            }

            var commitment = new MoneyAmount(phase.Version.Terms.MinimumCommitment, currency);
            minimum += MoneyAmount.FromDecimal(commitment.Major * days / month.Days, currency).Minor;
            last = phase;
        }

        var usage = usageLines.Sum(l => l.Amount);
        if (last is null || usage >= minimum)
        {
            return null;
        }

        var topUp = minimum - usage;
        return new InvoiceLine(InvoiceLineKind.MinimumCommitment, $"Minimum commitment top-up, {last.Version.Label}", last.Version.Id, null, 1,
            new MoneyAmount(topUp, currency).Major, null, null, null, null, topUp,
            $"usage {new MoneyAmount(usage, currency)} is below the monthly minimum of {new MoneyAmount(minimum, currency)} (prorated by days in force); top-up {new MoneyAmount(topUp, currency)}");
    }

    /// <summary>The wallet credit that pays a subtotal for a month, by the consumption order; used by rating and by a reissued invoice.</summary>
    public static IReadOnlyList<CreditApplication> CreditsFor(IReadOnlyList<BlockBalance> blocks, long subtotal, DateTimeOffset periodStart, string currency) =>
        ApplyCredits(blocks, subtotal, BillingCalendar.Month(periodStart), Currency.Of(currency));

    private static List<CreditApplication> ApplyCredits(IReadOnlyList<BlockBalance> blocks, long subtotal, DateSpan month, Currency currency)
    {
        if (subtotal <= 0)
        {
            return [];
        }

        // Credit counts when it is still valid on the period's last moment.
        var (draws, _) = CreditConsumption.Plan(blocks, subtotal, month.End.AddTicks(-1));
        return draws.Select(d =>
        {
            var block = blocks.First(b => b.BlockId == d.BlockId);
            return new CreditApplication(d.BlockId, d.Amount,
                $"{new MoneyAmount(d.Amount, currency)} from credit block {d.BlockId.ToString()[..8]} (held {new MoneyAmount(block.Remaining, currency)}"
                + (block.ExpiresAt is { } exp ? $", expires {exp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})" : ")"));
        }).ToList();
    }
}

using System.Globalization;
using Neruba.Domain.Metering;
using Neruba.Domain.Money;

namespace Neruba.Domain.Billing;

public enum BillingInterval
{
    Monthly = 1,
    Yearly = 2,
}

/// <summary>When the recurring base fee is invoiced: for the coming fee period, or for the one that ended.</summary>
public enum FeeTiming
{
    InAdvance = 1,
    InArrears = 2,
}

public enum ChargeModel
{
    /// <summary>Every billable unit at one price.</summary>
    PerUnit = 1,

    /// <summary>Each unit at the price of the tier it falls in (first 100 at one price, the next at another...).</summary>
    Graduated = 2,

    /// <summary>Every unit at the price of the tier the total falls in.</summary>
    Volume = 3,

    /// <summary>Units sold in packages of a fixed size; a started package is charged whole.</summary>
    Package = 4,
}

/// <summary>A price tier: units up to and including <see cref="UpTo"/> (none: no upper bound) at <see cref="UnitPrice"/>.</summary>
public sealed record PriceTier(decimal? UpTo, decimal UnitPrice);

/// <summary>
/// How one billable metric is charged. <see cref="IncludedQuantity"/> units per month are free; tiers
/// and packages apply to what is left. For <see cref="ChargeModel.Package"/>, <see cref="UnitPrice"/> is the price of a package.
/// </summary>
public sealed record UsageCharge(string MetricCode, ChargeModel Model, decimal UnitPrice, IReadOnlyList<PriceTier> Tiers, decimal PackageSize, decimal IncludedQuantity);

/// <summary>
/// What one plan version charges. Amounts are minor units of <see cref="Currency"/>; prices are decimals
/// in major units (0.0025 USD per call). The minimum commitment and prepaid credit are per month.
/// </summary>
public sealed record PlanTerms(
    string Currency,
    BillingInterval Interval,
    long BaseFee,
    FeeTiming FeeTiming,
    IReadOnlyList<UsageCharge> Charges,
    long MinimumCommitment,
    long PrepaidCreditPerPeriod)
{
    public const int MaxCharges = 50;
    public const int MaxTiers = 20;

    /// <summary>Every reason these terms cannot be billed, as sentences a person can act on. Empty when valid.</summary>
    public IReadOnlyList<string> Validate(ISet<string>? knownMetricCodes = null)
    {
        var errors = new List<string>();
        if (!Money.Currency.TryFind(Currency, out _))
        {
            errors.Add($"'{Currency}' is not a currency Neruba knows (ISO 4217 code such as USD, EUR, JPY).");
        }

        if (!Enum.IsDefined(Interval))
        {
            errors.Add("The billing interval is monthly or yearly.");
        }

        if (!Enum.IsDefined(FeeTiming))
        {
            errors.Add("The base fee is charged in advance or in arrears.");
        }

        if (BaseFee < 0 || MinimumCommitment < 0 || PrepaidCreditPerPeriod < 0)
        {
            errors.Add("Base fee, minimum commitment and prepaid credit cannot be negative.");
        }

        if (Charges.Count > MaxCharges)
        {
            errors.Add($"A plan has at most {MaxCharges} usage charges.");
        }

        foreach (var duplicate in Charges.GroupBy(c => c.MetricCode, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Metric '{duplicate.Key}' is charged twice; a plan charges each metric once.");
        }

        foreach (var charge in Charges)
        {
            errors.AddRange(ValidateCharge(charge, knownMetricCodes));
        }

        return errors;
    }

    private static IEnumerable<string> ValidateCharge(UsageCharge charge, ISet<string>? knownMetricCodes)
    {
        var name = $"Charge on '{charge.MetricCode}'";
        if (!BillableMetric.IsValidCode(charge.MetricCode))
        {
            yield return "Every charge names a billable metric by its code.";
        }
        else if (knownMetricCodes is not null && !knownMetricCodes.Contains(charge.MetricCode))
        {
            yield return $"{name}: the project has no metric with that code.";
        }

        if (charge.IncludedQuantity < 0)
        {
            yield return $"{name}: the included quantity cannot be negative.";
        }

        switch (charge.Model)
        {
            case ChargeModel.PerUnit:
                if (charge.UnitPrice < 0)
                {
                    yield return $"{name}: the unit price cannot be negative.";
                }

                break;
            case ChargeModel.Package:
                if (charge.UnitPrice < 0)
                {
                    yield return $"{name}: the package price cannot be negative.";
                }

                if (charge.PackageSize <= 0)
                {
                    yield return $"{name}: the package size must be more than zero.";
                }

                break;
            case ChargeModel.Graduated or ChargeModel.Volume:
                foreach (var error in ValidateTiers(name, charge.Tiers))
                {
                    yield return error;
                }

                break;
            default:
                yield return $"{name}: the charge model is per unit, graduated, volume or package.";
                break;
        }
    }

    private static IEnumerable<string> ValidateTiers(string name, IReadOnlyList<PriceTier> tiers)
    {
        if (tiers.Count is 0 or > MaxTiers)
        {
            yield return $"{name}: tiered pricing needs 1 to {MaxTiers} tiers.";
            yield break;
        }

        decimal previous = 0;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            if (tier.UnitPrice < 0)
            {
                yield return $"{name}: tier {i + 1} has a negative price.";
            }

            var last = i == tiers.Count - 1;
            if (last && tier.UpTo is not null)
            {
                yield return $"{name}: the last tier has no upper bound (leave 'up to' empty).";
            }
            else if (!last && (tier.UpTo is not { } upTo || upTo <= previous))
            {
                yield return $"{name}: tier {i + 1} needs an upper bound above {previous.ToString(CultureInfo.InvariantCulture)}.";
            }

            previous = tier.UpTo ?? previous;
        }
    }
}

using Neruba.Domain.Money;

namespace Neruba.Domain.Tests.Money;

public class MoneyAmountTests
{
    [Theory]
    [InlineData("12.50", "USD", 1250)]
    [InlineData("1,000.5", "USD", 100050)]
    [InlineData("7", "JPY", 7)]
    [InlineData("1.234", "KWD", 1234)]
    [InlineData("0.10", "USD", 10)]
    public void Typed_amounts_parse_in_the_currencys_exponent(string text, string currency, long minor)
    {
        Assert.True(MoneyAmount.TryParse(text, Currency.Of(currency), out var amount, out var error), error);
        Assert.Equal(minor, amount.Minor);
    }

    [Theory]
    [InlineData("12.505", "USD", "2 decimal places")]
    [InlineData("1.5", "JPY", "whole number")]
    [InlineData("abc", "USD", "not an amount")]
    [InlineData("", "USD", "Enter an amount")]
    [InlineData("99999999999999999999", "USD", "too large")]
    public void Bad_amounts_are_refused_with_a_sentence(string text, string currency, string expected)
    {
        Assert.False(MoneyAmount.TryParse(text, Currency.Of(currency), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Formatting_uses_the_exponent_and_the_code()
    {
        Assert.Equal("1,234.50 USD", new MoneyAmount(123450, Currency.Of("USD")).ToString());
        Assert.Equal("1,234 JPY", new MoneyAmount(1234, Currency.Of("JPY")).ToString());
        Assert.Equal("1.234 KWD", new MoneyAmount(1234, Currency.Of("KWD")).ToString());
    }

    [Theory]
    [InlineData(0.005, 1)]
    [InlineData(-0.005, -1)]
    [InlineData(0.004, 0)]
    [InlineData(2.675, 268)]
    public void Rounding_from_decimal_is_half_away_from_zero(decimal major, long minor)
    {
        Assert.Equal(minor, MoneyAmount.FromDecimal(major, Currency.Of("USD")).Minor);
    }

    [Fact]
    public void Arithmetic_refuses_mixed_currencies_and_overflow()
    {
        var usd = new MoneyAmount(long.MaxValue, Currency.Of("USD"));
        Assert.Throws<InvalidOperationException>(() => usd + new MoneyAmount(1, Currency.Of("EUR")));
        Assert.Throws<OverflowException>(() => usd + new MoneyAmount(1, Currency.Of("USD")));
    }

    [Fact]
    public void Unknown_currencies_are_refused()
    {
        Assert.False(Currency.TryFind("XYZ", out _));
        Assert.Throws<ArgumentException>(() => Currency.Of("ABC"));
    }
}

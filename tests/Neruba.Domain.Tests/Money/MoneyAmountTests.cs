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
    [InlineData(" 12.500 ", "USD", 1250)]
    [InlineData("12,345,678.90", "USD", 1234567890)]
    [InlineData("-3.25", "USD", -325)]
    [InlineData("9223372036854775.80", "USD", 922337203685477580)]
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
    [InlineData("5,50", "USD", "ambiguous")]
    [InlineData("1.000,50", "USD", "ambiguous")]
    [InlineData("1,0000", "USD", "ambiguous")]
    [InlineData("1e27", "USD", "not an amount")]
    [InlineData("1E3", "USD", "not an amount")]
    [InlineData("1 000", "USD", "not an amount")]
    [InlineData("12.", "USD", "not an amount")]
    [InlineData(".5", "USD", "not an amount")]
    [InlineData("١٢", "USD", "not an amount")]
    [InlineData("NaN", "USD", "not an amount")]
    [InlineData("0x10", "USD", "not an amount")]
    [InlineData("9999999999999999999999999999", "USD", "too large")]
    [InlineData("79228162514264337593543950335", "USD", "too large")]
    [InlineData("92233720368547758.08", "USD", "too large")]
    [InlineData("1.0000000000000000000000000001", "USD", "2 decimal places")]
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

    [Fact]
    public void Adding_never_throws_it_says_when_it_cannot()
    {
        var usd = Currency.Of("USD");
        Assert.False(MoneyAmount.TryAdd(new MoneyAmount(long.MaxValue, usd), new MoneyAmount(1, usd), out _));
        Assert.False(MoneyAmount.TryAdd(new MoneyAmount(1, usd), new MoneyAmount(1, Currency.Of("EUR")), out _));
        Assert.True(MoneyAmount.TryAdd(new MoneyAmount(2, usd), new MoneyAmount(3, usd), out var sum));
        Assert.Equal(5, sum.Minor);
    }
}

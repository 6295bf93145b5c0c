using Taskee.Api.Auth.Jwt;

namespace Taskee.Tests.Identity;

public sealed class JwtOptionsTests
{
    [Theory]
    [InlineData("RefreshInterval", "00:04:59", "Auth:Jwt:RefreshInterval")]
    [InlineData("RefreshMinInterval", "00:00:00.500", "Auth:Jwt:RefreshMinInterval")]
    [InlineData("RefreshMinInterval", "02:00:00", "Auth:Jwt:RefreshMinInterval")]
    [InlineData("ClockSkew", "00:01:01", "Auth:Jwt:ClockSkew")]
    [InlineData("StaleAfter", "00:00:00", "Auth:Jwt:StaleAfter")]
    public void A_refresh_or_alert_setting_out_of_range_is_rejected_naming_it(string setting, string value, string named)
    {
        var options = new JwtOptions();
        typeof(JwtOptions).GetProperty(setting)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var result = new JwtOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new JwtOptionsValidator().Validate(null, new JwtOptions()).Succeeded);
    }
}

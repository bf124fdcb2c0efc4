using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Web.Features.Groups;
using TomAlerts.Web.Hosting;

using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Account;

[Route("account")]
public sealed class AccountController(
    SignInManager<IdentityUser> signIn,
    UserManager<IdentityUser> users,
    Registration registration,
    GroupDirectory groups,
    LoginThrottle throttle,
    ILogger<AccountController> logger) : Controller
{
    [AllowAnonymous]
    [HttpGet("login")]
    public IActionResult Login(string? returnUrl)
    {
        ModelState.Clear(); // the form shows the model's (checked) return address, not the raw one from the query string
        return View(new LoginForm { ReturnUrl = LocalOrNull(returnUrl) });
    }

    [AllowAnonymous]
    [HttpPost("login")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.Wait(client) is { } wait)
        {
            // Not even checked, so the attempt counts against nobody's account.
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, $"Too many failed log-ins from your address. Try again in {seconds} s.");
            return View(form);
        }
        // Administrators are never locked out (nobody can keep them out by failing on purpose); the throttle slows guessing.
        var account = await users.FindByEmailAsync(form.Email);
        var lockout = account is null || !await users.IsInRoleAsync(account, IdentityExtensions.AdminRole);
        var result = await signIn.PasswordSignInAsync(form.Email, form.Password, form.RememberMe, lockoutOnFailure: lockout);
        if (result.Succeeded)
        {
            throttle.Succeeded(client);
            return LocalRedirect(LocalOrNull(form.ReturnUrl) ?? "/");
        }
        throttle.Failed(client);
        if (result.IsLockedOut)
        {
            logger.LogWarning("Login locked out for {Email}", form.Email);
            return RedirectToAction(nameof(Lockout));
        }
        if (result.IsNotAllowed)
        {
            // Only reached with the right password: the account exists and waits for an admin.
            ModelState.AddModelError(string.Empty, WaitingMessage);
            return View(form);
        }
        ModelState.AddModelError(string.Empty, "Invalid email or password.");
        return View(form);
    }

    public const string NotRegistrable =
        "This address cannot be registered here. If you have an account, log in; an administrator can reset a forgotten password.";

    public const string WaitingMessage = "Your account is waiting for an administrator's approval. You can log in once it is approved.";

    [AllowAnonymous]
    [HttpGet("register")]
    public IActionResult Register(string? code) => View(new RegisterForm { InviteCode = code, Mode = registration.Mode });

    [AllowAnonymous]
    [HttpPost("register")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Register(RegisterForm form, CancellationToken cancellationToken)
    {
        form.Mode = registration.Mode;
        if (form.Mode == RegistrationMode.Invite && !await registration.IsUsableAsync(form.InviteCode, cancellationToken))
        {
            ModelState.AddModelError(nameof(form.InviteCode), string.IsNullOrWhiteSpace(form.InviteCode)
                ? "Registration is by invitation: enter the invite code an administrator gave you."
                : "This invite code does not exist or has been used.");
        }
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var user = new IdentityUser { UserName = form.Email, Email = form.Email };
        var created = await users.CreateAsync(user, form.Password);
        if (created.Succeeded && form.Mode == RegistrationMode.Invite && !await registration.ClaimCodeAsync(form.InviteCode, user.Id, cancellationToken))
        {
            // Someone else used the code a moment ago.
            await users.DeleteAsync(user);
            ModelState.AddModelError(nameof(form.InviteCode), "This invite code does not exist or has been used.");
            return View(form);
        }
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors.Where(e => e.Code is not (nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))))
            {
                var field = error.Code.Contains("Password", StringComparison.Ordinal) ? nameof(form.Password)
                    : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? nameof(form.Email)
                    : string.Empty;
                ModelState.AddModelError(field, error.Description);
            }
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                // The same words whether or not the address has an account, so registering cannot tell who does.
                ModelState.AddModelError(nameof(form.Email), NotRegistrable);
            }
            return View(form);
        }
        await users.AddToRoleAsync(user, IdentityExtensions.UserRole);
        await groups.SetUpNewUserAsync(user.Id, cancellationToken);
        logger.LogInformation("Registered user {UserId}", user.Id);
        if (form.Mode == RegistrationMode.Approval)
        {
            await users.AddToRoleAsync(user, Registration.PendingRole);
            return this.ProblemPage(StatusCodes.Status200OK, "Thank you for registering",
                "An administrator must approve your account before you can log in. Try logging in later.", "/account/login", "Log in");
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Success"] = "Welcome to TomAlerts. Pick a broker below to create your first query.";
        return LocalRedirect("/alerts/query/list/");
    }

    [HttpPost("logout")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Logout()
    {
        // A new security stamp ends this session everywhere: a copy of the cookie stops working on its next request.
        if (await users.GetUserAsync(User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(Login));
    }

    [AllowAnonymous]
    [HttpGet("lockout")]
    public IActionResult Lockout() => this.ProblemPage(StatusCodes.Status200OK, "Account locked",
        "This account is locked for 15 minutes after too many failed log-in attempts. Try again later.", "/account/login", "Back to log in");

    [AllowAnonymous]
    [HttpGet("access-denied")]
    public IActionResult AccessDenied() => this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed",
        "You do not have permission to see that page.");

    private string? LocalOrNull(string? url) => Url.Local(url);
}

public sealed class LoginForm
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Display(Name = "Remember me")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class RegisterForm
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(100, MinimumLength = 8, ErrorMessage = "The password must be at least 8 characters long.")]
    public string Password { get; set; } = "";

    [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    [Display(Name = "Confirm password")]
    public string ConfirmPassword { get; set; } = "";

    /// <summary>Needed when registration is by invitation.</summary>
    [Display(Name = "Invite code")]
    public string? InviteCode { get; set; }

    /// <summary>How registration works here (from the settings, never from the form).</summary>
    [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
    public RegistrationMode Mode { get; set; }
}

"""Accounts URLs: sign-in, sign-out, passwords, the second factor, invitations, account requests, the profile.

Every name here is classified in accounts/access.py.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("session/", views.session_status, name="session_status"),
    path("two-factor/setup/", views.SecondFactorSetupView.as_view(), name="otp_setup"),
    path("two-factor/verify/", views.SecondFactorVerifyView.as_view(), name="otp_verify"),
    path("two-factor/recovery-codes/", views.RecoveryCodesView.as_view(), name="otp_recovery_codes"),
    path("two-factor/disable/", views.second_factor_disable, name="otp_disable"),
    path("invitation/", views.InvitationOpenView.as_view(), name="invitation_open"),
    path("invitation/accept/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("request/", views.AccountRequestView.as_view(), name="account_request"),
    path("request/sent/", views.AccountRequestDoneView.as_view(), name="account_request_done"),
    path("domain/<str:token>/", views.DomainConfirmView.as_view(), name="domain_confirm"),
    path("domain-link/", views.domain_request, name="domain_request"),
    path("staff/invitations/", views.InvitationListView.as_view(), name="invitation_list"),
    path("staff/account-requests/", views.AccountRequestListView.as_view(), name="account_request_list"),
    path("staff/retention/", views.RetentionView.as_view(), name="retention"),
    path(
        "staff/account-requests/<int:pk>/decide/",
        views.AccountRequestDecideView.as_view(),
        name="account_request_decide",
    ),
]

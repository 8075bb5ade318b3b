package iamsim

// iamActions maps each IAM action the simulator implements to its handler.
func iamActions() map[string]handler {
	return map[string]handler{
		"GetAccountSummary":           (*call).getAccountSummary,
		"GetAccountPasswordPolicy":    (*call).getAccountPasswordPolicy,
		"UpdateAccountPasswordPolicy": (*call).updateAccountPasswordPolicy,
		"DeleteAccountPasswordPolicy": (*call).deleteAccountPasswordPolicy,
		"ListAccountAliases":          (*call).listAccountAliases,
		"CreateAccountAlias":          (*call).createAccountAlias,
		"DeleteAccountAlias":          (*call).deleteAccountAlias,

		"CreateGroup": (*call).createGroup,
		"GetGroup":    (*call).getGroup,
		"ListGroups":  (*call).listGroups,
		"DeleteGroup": (*call).deleteGroup,
		"GetPolicy":   (*call).getPolicy,

		"CreateUser":          (*call).createUser,
		"GetUser":             (*call).getUser,
		"ListUsers":           (*call).listUsers,
		"DeleteUser":          (*call).deleteUser,
		"AddUserToGroup":      (*call).addUserToGroup,
		"RemoveUserFromGroup": (*call).removeUserFromGroup,
		"ListGroupsForUser":   (*call).listGroupsForUser,
		"CreateLoginProfile":  (*call).createLoginProfile,
		"GetLoginProfile":     (*call).getLoginProfile,
		"UpdateLoginProfile":  (*call).updateLoginProfile,
		"DeleteLoginProfile":  (*call).deleteLoginProfile,
		"ChangePassword":      (*call).changePassword,

		"CreateVirtualMFADevice": (*call).createVirtualMFADevice,
		"ListVirtualMFADevices":  (*call).listVirtualMFADevices,
		"DeleteVirtualMFADevice": (*call).deleteVirtualMFADevice,
		"EnableMFADevice":        (*call).enableMFADevice,
		"DeactivateMFADevice":    (*call).deactivateMFADevice,
		"ListMFADevices":         (*call).listMFADevices,
		"ResyncMFADevice":        (*call).resyncMFADevice,
		"ListMFADeviceTags":      (*call).listMFADeviceTags,

		"CreateAccessKey": (*call).createAccessKey,
		"ListAccessKeys":  (*call).listAccessKeys,
		"DeleteAccessKey": (*call).deleteAccessKey,
		"UpdateAccessKey": (*call).updateAccessKey,

		"GenerateCredentialReport": (*call).generateCredentialReport,
		"GetCredentialReport":      (*call).getCredentialReport,

		"CreatePolicy":     (*call).createPolicy,
		"DeletePolicy":     (*call).deletePolicy,
		"GetPolicyVersion": (*call).getPolicyVersion,
		"ListPolicies":     (*call).listPolicies,
	}
}

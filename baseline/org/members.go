// Package org runs the single-account audit (baseline/audit) across the
// member accounts of an AWS Organization: it lists and selects the members,
// enters each through STS, and gathers one result per account. It never
// prints; the command line's views render what it returns.
package org

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Member is one account of the organization.
type Member struct {
	ID     string
	Name   string
	Status string // ACTIVE, SUSPENDED, PENDING_CLOSURE
}

// Active reports whether the account can be entered at all: AWS refuses
// AssumeRole and AssumeRoot into suspended or closing accounts.
func (m Member) Active() bool { return m.Status == string(types.AccountStateActive) }

// OrganizationsAPI is the part of the Organizations client the listing uses.
type OrganizationsAPI interface {
	organizations.ListAccountsAPIClient
	organizations.ListAccountsForParentAPIClient
	organizations.ListOrganizationalUnitsForParentAPIClient
}

// Selection narrows the members: only Accounts when given, never Exclude,
// and only those under the organizational unit OU (nested OUs included)
// when given. Self, the caller's account, is never a member to enter: the
// management account has no OrganizationAccountAccessRole; single-account
// status audits it.
type Selection struct {
	Accounts []string
	Exclude  []string
	OU       string
	Self     string
}

// ListMembers lists the organization's accounts and applies the selection,
// in account-ID order. An ID named in Accounts that the organization does
// not hold is an error, so a typo is not a silently empty audit.
func ListMembers(ctx context.Context, api OrganizationsAPI, sel Selection) ([]Member, error) {
	var all []Member
	var err error
	if sel.OU != "" {
		all, err = listUnder(ctx, api, sel.OU)
	} else {
		all, err = listAll(ctx, api)
	}
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	var out []Member
	for _, m := range all {
		found[m.ID] = true
		if m.ID == sel.Self || slices.Contains(sel.Exclude, m.ID) {
			continue
		}
		if len(sel.Accounts) > 0 && !slices.Contains(sel.Accounts, m.ID) {
			continue
		}
		out = append(out, m)
	}
	for _, id := range sel.Accounts {
		if !found[id] {
			where := locale.M("the organization")
			if sel.OU != "" {
				where = locale.M("organizational unit %s", sel.OU)
			}
			return nil, locale.Wrap(locale.M("account %s is not in %s; hint: list the accounts with aws organizations list-accounts", id, where), nil)
		}
	}
	slices.SortFunc(out, func(a, b Member) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out, nil
}

func member(a types.Account) Member {
	status := string(a.State)
	if status == "" {
		status = string(a.Status) //nolint:staticcheck // State is newer; older endpoints send only Status
	}
	return Member{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name), Status: status}
}

func listAll(ctx context.Context, api OrganizationsAPI) ([]Member, error) {
	var out []Member
	p := organizations.NewListAccountsPaginator(api, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing the organization's accounts (organizations ListAccounts): %v", err), err)
		}
		for _, a := range page.Accounts {
			out = append(out, member(a))
		}
	}
	return out, nil
}

// listUnder lists the accounts under an OU and its nested OUs, depth first.
func listUnder(ctx context.Context, api OrganizationsAPI, parent string) ([]Member, error) {
	var out []Member
	p := organizations.NewListAccountsForParentPaginator(api, &organizations.ListAccountsForParentInput{ParentId: aws.String(parent)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing the accounts of %s (organizations ListAccountsForParent): %v", parent, err), err)
		}
		for _, a := range page.Accounts {
			out = append(out, member(a))
		}
	}
	ous := organizations.NewListOrganizationalUnitsForParentPaginator(api, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent)})
	for ous.HasMorePages() {
		page, err := ous.NextPage(ctx)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing the organizational units in %s (organizations ListOrganizationalUnitsForParent): %v", parent, err), err)
		}
		for _, ou := range page.OrganizationalUnits {
			sub, err := listUnder(ctx, api, aws.ToString(ou.Id))
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
	}
	return out, nil
}

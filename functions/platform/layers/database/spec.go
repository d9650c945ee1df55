package database

// The database's fixed settings; what a tenant tunes is api.DatabaseSettings.
const (
	DatabaseName   = "payments"
	MasterUsername = "payments_admin"
	Port           = 5432
)

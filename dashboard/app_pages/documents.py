import streamlit as st
st.title("documents")
